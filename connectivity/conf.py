"""Settings of the connectivity app, with their documented defaults.

Each value can be overridden in ``simpul/settings.py`` (or any settings module) by
defining the upper-case name; nothing here reads the environment itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

#: Weight of one priority place of each type in coverage shares and in the planner.
#: A village office counts 3 (the programme's first target: the village government
#: must be reachable); markets, ports/jetties, health centres and schools count 2;
#: other places 1. A settlement's weight comes from its people (see
#: ``SETTLEMENT_PEOPLE_PER_WEIGHT``) and is 1 where neither households nor
#: population are known.
DEFAULT_PLACE_WEIGHTS: dict[str, float] = {
    "office": 3.0,
    "settlement": 1.0,
    "market": 2.0,
    "port": 2.0,
    "health": 2.0,
    "school": 2.0,
    "other": 1.0,
}
#: One unit of settlement weight per this many people (BPS's mean household size in
#: Kalimantan Timur is about 3.6 people; 4 is used for households).
SETTLEMENT_PEOPLE_PER_WEIGHT = 100.0
PEOPLE_PER_HOUSEHOLD = 4.0
#: The lowest technology that counts as a usable signal. "2g": any mobile signal
#: (voice and SMS) ends a blankspot, as in Kominfo/BAKTI's village lists;
#: set "4g" to count only mobile broadband.
DEFAULT_USABLE_MIN_TECH = "2g"
#: Public "no signal" reports per client IP address.
DEFAULT_REPORT_RATE = "6/m"
#: Candidate grid spacing of the planner (km) and the default site radius (km).
DEFAULT_GRID_KM = 5.0
#: Instances with more demand x candidate pairs than this run in the worker.
DEFAULT_INLINE_PLAN_PAIRS = 3_000_000


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def place_weights() -> dict[str, float]:
    return {**DEFAULT_PLACE_WEIGHTS, **_get("CONNECTIVITY_PLACE_WEIGHTS", {})}


def usable_min_tech() -> str:
    return str(_get("CONNECTIVITY_USABLE_MIN_TECH", DEFAULT_USABLE_MIN_TECH))


def report_rate() -> str:
    return str(_get("CONNECTIVITY_REPORT_RATE", DEFAULT_REPORT_RATE))


def inline_plan_pairs() -> int:
    return int(_get("CONNECTIVITY_INLINE_PLAN_PAIRS", DEFAULT_INLINE_PLAN_PAIRS))
