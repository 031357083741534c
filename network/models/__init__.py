"""The KIM network: KIMs and their members, Forum KIM, activities, events, trainings.

People are recorded once (``Person``: name, phone in E.164, email, consent to show
a public contact) and linked to KIMs by ``Membership`` rows (role, join date).

How a KIM coordinator is recorded: an ``accounts.User`` with the role
``kim_coordinator`` is linked to a ``Person`` (``Person.user``); that user
coordinates every KIM in which the person holds an active membership that is
either the chair (``ketua``) or marked ``is_coordinator`` (a KIM may hand the
platform work to its secretary). ``network.selectors.kims_coordinated_by`` is the
one place that reads this rule.

One module per entity; this package imports every model (Django finds them here).
``_token`` and ``_certificate_code`` stay importable from ``network.models``
because migrations name them there.
"""

from network.models._common import E164, _certificate_code, _token
from network.models.activities import Activity, ActivityPhoto, MonthlyScore
from network.models.events import (
    MAX_EVENT_CAPACITY,
    Attendance,
    Event,
    EventMaterial,
    Participant,
    Speaker,
)
from network.models.forums import BoardMember, Forum
from network.models.kims import SOCIAL_NETWORKS, FocusArea, Kim, Membership, Person
from network.models.trainings import Certificate, Choice, Question, QuizAttempt

__all__ = [
    "E164",
    "MAX_EVENT_CAPACITY",
    "SOCIAL_NETWORKS",
    "Activity",
    "ActivityPhoto",
    "Attendance",
    "BoardMember",
    "Certificate",
    "Choice",
    "Event",
    "EventMaterial",
    "FocusArea",
    "Forum",
    "Kim",
    "Membership",
    "MonthlyScore",
    "Participant",
    "Person",
    "Question",
    "QuizAttempt",
    "Speaker",
    "_certificate_code",
    "_token",
]
