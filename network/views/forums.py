"""Forum pages: the public list and page, the staff forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import can, permitted_user
from core.viewtools import form_write, or_404
from network import selectors, services
from network.forms import (
    BoardMemberForm,
    ForumForm,
)
from network.models import (
    Forum,
)
from network.views._common import _user
from regions.models import Region


def forum_list(request: HttpRequest) -> HttpResponse:
    forums = selectors.forum_list(q=request.GET.get("q", "")[:100])
    return render(request, "network/forum_list.html", {"forums": forums})


def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = or_404(selectors.forum_get(pk=pk), _("Forum not found."))
    return render(
        request,
        "network/forum_detail.html",
        {
            "forum": forum,
            "board": forum.board.select_related("person", "kim"),
            "kims": forum.kims.select_related("region").order_by("name"),
            "regency_forums": (
                selectors.forum_list().filter(region__parent=forum.region)
                if forum.region.level == Region.Level.PROVINCE
                else []
            ),
            "can_manage": request.user.is_authenticated
            and can(
                request.user, "change", "network.forum", region_code=forum.region_id
            ),
        },
    )


@login_required
def forum_create(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "create", "network.forum")
    form = ForumForm(request.POST or None, actor=actor, creating=True)
    if forum := form_write(
        request,
        form,
        lambda: services.forum_create(actor=actor, **form.cleaned_data),
        _("Forum saved."),
        refused=True,
    ):
        return redirect(forum.get_absolute_url())
    return render(request, "network/forum_form.html", {"form": form, "forum": None})


@login_required
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    forum = Forum.objects.filter(pk=pk).first()
    if forum is None or not can(
        actor, "change", "network.forum", region_code=forum.region_id
    ):
        raise Http404(_("Forum not found."))
    initial: dict[str, Any] = {
        name: getattr(forum, name)
        for name in ForumForm.base_fields
        if name not in ("region", "kims")
    }
    initial["kims"] = list(forum.kims.values_list("pk", flat=True))
    form = ForumForm(request.POST or None, actor=actor, initial=initial)
    board_form = BoardMemberForm(request.POST or None, prefix="b")
    if request.method == "POST":
        if "b-full_name" in request.POST:
            if board_form.is_valid() and form_write(
                request,
                board_form,
                lambda: services.board_member_add(
                    actor=actor,
                    forum=forum,
                    order=forum.board.count(),
                    **board_form.cleaned_data,
                ),
                _("Board member added."),
            ):
                return redirect("network:forum_edit", pk=forum.pk)
            form = ForumForm(actor=actor, initial=initial)
        elif form.is_valid():
            if form_write(
                request,
                form,
                lambda: services.forum_update(
                    actor=actor, forum=forum, **form.cleaned_data
                ),
                _("Forum saved."),
            ):
                return redirect(forum.get_absolute_url())
            board_form = BoardMemberForm(prefix="b")
        else:
            board_form = BoardMemberForm(prefix="b")
    return render(
        request,
        "network/forum_form.html",
        {
            "form": form,
            "forum": forum,
            "board_form": board_form,
            "board": forum.board.select_related("person"),
        },
    )
