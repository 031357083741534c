"""Which provinces this deployment serves (``SIMPUL_PROVINCES``).

A deployment serves its home province (``SIMPUL_HOME_REGION``, Kaltim by default),
a list of provinces ("64,65") or every province in the database ("*").  Serving
more than one makes it *national*: the home page lists the provinces, the
directories filter by province, and each province's staff stay inside their
province (accounts.permissions scopes by code prefix).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q, QuerySet

from regions.codes import subtree_q
from regions.models import Region

ALL = "*"
PROVINCE_CODE = re.compile(r"^[0-9]{2}$")


def configured() -> list[str]:
    """The setting as written, duplicates dropped (``["*"]`` for every province)."""
    codes = [c.strip() for c in settings.PROVINCES if c.strip()]
    if ALL in codes:
        return [ALL]
    return list(dict.fromkeys(codes)) or [home_province()]


def home_province() -> str:
    """The code of the home province (``SIMPUL_HOME_REGION`` may name a regency)."""
    return str(settings.HOME_REGION).split(".")[0]


def root_region() -> str:
    """The region whose pages are the root pages (``/kabar/potensi/`` rather
    than ``/kabar/potensi/64/``): the home region; none where several provinces
    are served, since the root pages are then national."""
    return "" if is_national() else str(settings.HOME_REGION)


def serves_all() -> bool:
    return configured() == [ALL]


def served_codes() -> list[str]:
    """The served provinces' codes, in code order ("*": those in the database)."""
    if serves_all():
        return list(
            Region.objects.filter(level=Region.Level.PROVINCE)
            .order_by("kode")
            .values_list("kode", flat=True)
        )
    return sorted(configured())


def is_national() -> bool:
    """Whether the deployment serves more than one province."""
    return serves_all() or len(configured()) > 1


def is_served(code: str | None) -> bool:
    """Whether a region code lies in a served province."""
    if not code:
        return False
    return serves_all() or code.split(".")[0] in configured()


def served_q(field: str = "region__kode") -> Q:
    """A filter for records whose region code (at ``field``) lies in a served
    province; no filter at all where every province is served."""
    if serves_all():
        return Q()
    q = Q(pk__in=[])
    for code in configured():
        q |= subtree_q(code, field)
    return q


def served_provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.PROVINCE).filter(served_q("kode"))


def province_param(value: str | None) -> str | None:
    """A ``?provinsi=`` value when it names a served province, else None."""
    value = (value or "").strip()[:2]
    if PROVINCE_CODE.match(value) and is_served(value):
        return value
    return None


def covers_all(code: str | None) -> bool:
    """Whether filtering by region ``code`` would keep everything: it is the one
    province a single-province deployment serves (a shortcut lists take)."""
    return bool(code) and not is_national() and code == home_province()
