"""Trainings: test questions and choices, attempts, certificates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models._common import _certificate_code
from network.models.events import Event, Participant


class Question(models.Model):
    """A multiple-choice question of a training's pre- and post-test (the same
    questions are asked before and after, so the gain measures the training)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    class Phase(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attempts"
    )
    phase = models.CharField(_("test"), max_length=4, choices=Phase)
    score = models.PositiveSmallIntegerField(_("score (0-100)"))
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    answers = models.JSONField(default=dict)  # question id → choice id
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["participant", "phase"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "phase"], name="attempt_one_per_phase"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="attempt_score"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.phase}: {self.score}"


class Certificate(models.Model):
    """A certificate of attendance; anyone can check its code on a public page."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(
        _("verification code"), max_length=11, unique=True, default=_certificate_code
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("network:certificate_verify") + f"?kode={self.code}"
