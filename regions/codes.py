"""Filters on Kemendagri region codes, which nest (64.02 ⊃ 64.02.06 ⊃
64.02.06.1001).  Kept apart from regions.selectors so that regions.provinces can
build its filters from them while the selectors filter by the provinces served
(each imports this module, neither the other in a circle)."""

from __future__ import annotations

from django.db.models import Q


def subtree_q(code: str, lookup: str = "region__kode") -> Q:
    """Records whose region code (at ``lookup``) is ``code`` or lies beneath it.
    The one place that spells this out; the apps' region filters call it
    (through regions.selectors)."""
    return Q(**{lookup: code}) | Q(**{f"{lookup}__startswith": f"{code}."})
