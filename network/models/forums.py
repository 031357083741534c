"""Forum KIM of a province or regency, and its board."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import optional_link
from network.models.kims import Kim, Person
from network.uploads import upload_path


class Forum(models.Model):
    """A Forum KIM of a kabupaten/kota, or of the province."""

    name = models.CharField(_("name"), max_length=150)
    region = models.OneToOneField(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="kim_forum",
        verbose_name=_("region"),
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    decree_number = models.CharField(
        _("decree (SK) number"), max_length=100, blank=True
    )
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_issuer = models.CharField(_("decree issued by"), max_length=150, blank=True)
    decree_file = models.FileField(
        _("decree (PDF)"), upload_to=upload_path, blank=True, max_length=200
    )
    inaugurated_on = models.DateField(_("inaugurated on"), null=True, blank=True)
    inauguration_place = models.CharField(
        _("inauguration place"), max_length=200, blank=True
    )
    inaugurated_by = models.CharField(
        _("inaugurated by"),
        max_length=200,
        blank=True,
        help_text=_("Name and office of the inaugurating official."),
    )
    inauguration_decree = models.CharField(
        _("inauguration decree"), max_length=100, blank=True
    )
    inauguration_event = optional_link("Event", _("inauguration event"))
    kims = models.ManyToManyField(
        Kim, blank=True, related_name="forums", verbose_name=_("member KIMs")
    )
    email = models.EmailField(_("email"), blank=True)
    instagram = models.URLField("Instagram", blank=True)
    facebook = models.URLField("Facebook", blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["region"]
        verbose_name = _("Forum KIM")
        verbose_name_plural = _("Forum KIM")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:forum_detail", kwargs={"pk": self.pk})


class BoardMember(models.Model):
    """A seat on a Forum KIM's board (pengurus)."""

    class Position(models.TextChoices):
        KETUA = "ketua", _("Chair")
        WAKIL_KETUA = "wakil_ketua", _("Vice-chair")
        SEKRETARIS = "sekretaris", _("Secretary")
        BENDAHARA = "bendahara", _("Treasurer")
        KOORDINATOR = "koordinator", _("Division coordinator")
        ANGGOTA = "anggota", _("Member")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="board", verbose_name=_("forum")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="board_seats",
        verbose_name=_("person"),
    )
    position = models.CharField(_("position"), max_length=12, choices=Position)
    title = models.CharField(
        _("title"), max_length=150, blank=True, help_text=_("e.g. Bidang Humas")
    )
    kim = optional_link(Kim, _("from KIM"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["forum", "order", "pk"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "person"], name="board_unique_person_per_forum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()})"
