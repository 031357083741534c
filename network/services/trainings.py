"""Trainings: test questions, submitted tests and certificates."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from network.models import (
    Attendance,
    Certificate,
    Choice,
    Event,
    Participant,
    Question,
    QuizAttempt,
)
from network.services._common import _require, _save


@transaction.atomic
def question_add(
    *,
    actor: User | None,
    event: Event,
    text: str,
    choices: Sequence[str],
    correct: int,
) -> Question:
    """Add a multiple-choice question to a training's pre/post-test: 2 to 6
    answers, ``correct`` the index of the right one."""
    _require(actor, "change", "network.event", region_code=event.organiser_region_id)
    if not event.is_training:
        raise ValidationError({"event": _("Only trainings have tests.")})
    answers = [c.strip() for c in choices if c and c.strip()]
    if not 2 <= len(answers) <= 6:
        raise ValidationError({"choices": _("Give between 2 and 6 answers.")})
    if not 0 <= correct < len(answers):
        raise ValidationError({"correct": _("Mark the correct answer.")})
    if QuizAttempt.objects.filter(participant__event=event).exists():
        raise ValidationError(
            {"text": _("Participants have already taken the test; it is frozen.")}
        )
    question = Question(event=event, text=text.strip(), order=event.questions.count())
    _save(question)
    Choice.objects.bulk_create(
        [
            Choice(question=question, text=answer, is_correct=(i == correct))
            for i, answer in enumerate(answers)
        ]
    )
    return question


@transaction.atomic
def test_submit(
    *, participant: Participant, phase: str, answers: dict[int, int]
) -> QuizAttempt:
    """Score a participant's pre- or post-test (each once; the post-test after the
    pre-test). ``answers`` maps question id → chosen choice id."""
    event = participant.event
    if not event.is_training:
        raise ValidationError({"phase": _("This event has no test.")})
    if phase not in QuizAttempt.Phase.values:
        raise ValidationError({"phase": _("Unknown test.")})
    if participant.attempts.filter(phase=phase).exists():
        raise ValidationError({"phase": _("You have already taken this test.")})
    if (
        phase == QuizAttempt.Phase.POST
        and not participant.attempts.filter(phase=QuizAttempt.Phase.PRE).exists()
    ):
        raise ValidationError({"phase": _("Take the pre-test first.")})
    questions = list(event.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError({"phase": _("This training has no questions yet.")})
    missing = [q for q in questions if q.pk not in answers]
    if missing:
        raise ValidationError(
            {"answers": _("Answer every question (%(n)s left).") % {"n": len(missing)}}
        )
    correct = 0
    for q in questions:
        valid = {c.pk: c.is_correct for c in q.choices.all()}
        chosen = answers[q.pk]
        if chosen not in valid:
            raise ValidationError({"answers": _("Choose one of the answers given.")})
        correct += int(valid[chosen])
    attempt = QuizAttempt(
        participant=participant,
        phase=phase,
        correct=correct,
        total=len(questions),
        score=round(100 * correct / len(questions)),
        answers={str(k): v for k, v in answers.items()},
    )
    _save(attempt)
    return attempt


def certificate_eligible(participant: Participant) -> tuple[bool, str]:
    """Whether a certificate can be issued, and why not: the participant attended
    and, for a training, took the post-test."""
    if not Attendance.objects.filter(participant=participant).exists():
        return False, _("Your attendance has not been recorded.")
    if (
        participant.event.is_training
        and not participant.attempts.filter(phase=QuizAttempt.Phase.POST).exists()
    ):
        return False, _("Take the post-test first.")
    return True, ""


@transaction.atomic
def certificate_issue(*, participant: Participant) -> Certificate:
    """The participant's certificate of attendance (issued once, then reused)."""
    existing = Certificate.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    ok, reason = certificate_eligible(participant)
    if not ok:
        raise ValidationError({"__all__": reason})
    for _attempt in range(5):
        certificate = Certificate(participant=participant)
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:  # a code collision: draw again
            continue
        return certificate
    raise RuntimeError("could not draw a unique certificate code")
