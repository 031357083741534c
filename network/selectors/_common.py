"""Region filters shared by the network reads, and the type of an account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from regions.selectors import subtree_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


def activity_region_q(code: str) -> Q:
    """Activities of the KIMs in ``code`` (any level), from the activity's own
    copies of its KIM's kecamatan/kabupaten codes where possible."""
    code = (code or "").strip()
    depth = code.count(".")
    if not code:
        return Q()
    if depth == 0:
        return Q(regency_code__startswith=code + ".")
    if depth == 1:
        return Q(regency_code=code)
    if depth == 2:
        return Q(district_code=code)
    return Q(kim__region__kode=code)


def region_q(
    code: str, field: str = "region_id", *, kim_prefix: str | None = None
) -> Q:
    """Records whose region (at ``field``) is ``code`` or lies beneath it.

    For KIMs (``kim_prefix`` "" for Kim itself, "kim__" through a relation) the
    stored kecamatan/kabupaten codes are used, so the common filters are exact
    matches on an index.
    """
    code = (code or "").strip()
    if not code:
        return Q()
    depth = code.count(".")
    if kim_prefix is not None and field == f"{kim_prefix}region_id":
        if depth == 0:
            return Q(**{f"{kim_prefix}regency_code__startswith": code + "."})
        if depth == 1:
            return Q(**{f"{kim_prefix}regency_code": code})
        if depth == 2:
            return Q(**{f"{kim_prefix}district_code": code})
    lookup = field[:-3] + "__kode" if field.endswith("_id") else field
    return subtree_q(code, lookup)
