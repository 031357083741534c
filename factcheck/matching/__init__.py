"""Claim matching: find the fact-checks that answer a circulating message.

Plain Python (no Django).  The app builds ``FactCheckDoc`` rows and calls an
engine; see ``engine.MatchingEngine`` for the API and ``README.md`` for the
design and figures.
"""

from .engine import (
    FORMAT_VERSION,
    QUERY_MAX_CHARS,
    Candidates,
    IndexMismatchError,
    MatchingEngine,
    load_engine,
    new_engine,
)
from .ranker import (
    LEXICAL_MATCH_THRESHOLD,
    LEXICAL_SUGGEST_THRESHOLD,
    MATCH_THRESHOLD,
    SUGGEST_THRESHOLD,
)
from .schema import Decision, FactCheckDoc, Match

__all__ = [
    "FORMAT_VERSION",
    "LEXICAL_MATCH_THRESHOLD",
    "LEXICAL_SUGGEST_THRESHOLD",
    "MATCH_THRESHOLD",
    "QUERY_MAX_CHARS",
    "SUGGEST_THRESHOLD",
    "Candidates",
    "Decision",
    "FactCheckDoc",
    "IndexMismatchError",
    "Match",
    "MatchingEngine",
    "load_engine",
    "new_engine",
]
