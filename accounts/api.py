from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from accounts import selectors, services
from accounts.api_auth import api_user, token_or_session
from accounts.models import User
from core.api import found_or_404
from core.pagination import PAGE_SIZE_MAX, paged
from regions.models import Region

router = Router(tags=["accounts"])


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    region: str | None = Field(alias="region_id")
    is_active: bool


class UserPatch(Schema):
    full_name: str | None = None
    role: str | None = None
    region: str | None = None
    is_active: bool | None = None


@router.get("/me", response=UserOut, auth=token_or_session)
def me(request: HttpRequest) -> User:
    return api_user(request)


@router.get("/users", response=list[UserOut], auth=token_or_session)
@paged(PAGE_SIZE_MAX)
def users(request: HttpRequest, q: str = "") -> QuerySet[User]:
    return selectors.user_list(actor=api_user(request), q=q[:100])


@router.get("/users/{user_id}", response=UserOut, auth=token_or_session)
def user_detail(request: HttpRequest, user_id: int) -> User:
    return found_or_404(
        selectors.user_get(actor=api_user(request), pk=user_id), "Akun tidak ditemukan."
    )


@router.patch("/users/{user_id}", response=UserOut, auth=token_or_session)
def user_patch(request: HttpRequest, user_id: int, payload: UserPatch) -> User:
    actor = api_user(request)
    user = found_or_404(
        selectors.user_get(actor=actor, pk=user_id), "Akun tidak ditemukan."
    )
    region = None
    if payload.region is not None:
        region = get_object_or_404(Region, kode=payload.region)
    return services.user_update(
        actor=actor, user=user, region=region, **payload.model_dump(exclude={"region"})
    )
