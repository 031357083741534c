"""What the connectivity pages share: the region of a page (404 outside the
provinces served), the default region and the permission checks."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, in_scope
from core.viewtools import or_404
from regions import provinces
from regions.models import Region


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _region_or_404(kode: str) -> Region:
    """The region ``kode`` names; a 404 for an unknown code and for a region of a
    province the deployment does not serve (as the other apps' pages)."""
    found = (
        Region.objects.select_related("parent").filter(kode=kode).first()
        if provinces.is_served(kode)
        else None
    )
    return or_404(found, _("No region has the code %(kode)s.") % {"kode": kode})


def _editable_region(user: User, kode: str) -> Region | None:
    """The region a form names, when it exists, lies in a province served and in
    the ``user``'s area; None otherwise (the form says so)."""
    kode = kode.strip()
    if not provinces.is_served(kode) or not in_scope(user, kode):
        return None
    return Region.objects.filter(kode=kode).first()


def _wilayah(request: HttpRequest, *, own_first: bool = False) -> str | None:
    """The region code a list page (``?wilayah=``) is about. Without one: the
    home region where one province is served (the signed-in user's region
    before it when ``own_first``); serving several, the user's region, else
    None: the page then offers the provinces served to choose from."""
    kode = request.GET.get("wilayah", "").strip()[:13]
    if kode:
        return kode
    user = _user(request)
    own = user.region_id if user is not None else None
    if (own_first or provinces.is_national()) and provinces.is_served(own):
        return own
    return None if provinces.is_national() else settings.HOME_REGION


def _may(request: HttpRequest, action: str, resource: str, kode: str | None) -> bool:
    user = _user(request)
    return user is not None and can(user, action, resource, region_code=kode)


def _editor(request: HttpRequest, kode: str | None, action: str, resource: str) -> User:
    """The signed-in user, who may ``action`` the ``resource`` of region ``kode``:
    outside their area it does not exist for them (404), inside it may be refused."""
    user = _user(request)
    if kode is None or user is None or not in_scope(user, kode):
        raise Http404
    if not can(user, action, resource, region_code=kode):
        raise PermissionDenied
    return user
