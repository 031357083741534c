import pytest

from factcheck.models import Verdict
from factcheck.verdicts import VERDICTS, verdict_from_label, verdict_label


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("SALAH", "salah"),
        ("[HOAKS]", "hoaks"),
        ("Hoax", "hoaks"),
        ("False", "salah"),
        ("Keliru", "salah"),
        ("DISINFORMASI", "disinformasi"),
        ("Misinformasi", "misinformasi"),
        ("PENIPUAN", "penipuan"),
        ("Satire/Parodi", "satire"),
        ("SATIRE / PARODI", "satire"),
        ("Benar", "benar"),
        ("MENYESATKAN", "menyesatkan"),
        ("Konten yang Dimanipulasi", "konten_dimanipulasi"),
        ("KONTEN DIMANIPULASI", "konten_dimanipulasi"),
        ("Missing context", "konteks_keliru"),
        ("Sebagian Benar", "sebagian_benar"),
        ("hoaks politik", "hoaks"),
    ],
)
def test_source_labels_map_to_our_verdicts(raw: str, key: str) -> None:
    assert verdict_from_label(raw) == key


def test_unknown_labels_are_not_guessed() -> None:
    assert verdict_from_label("kucing") is None
    assert verdict_from_label("") is None


def test_every_verdict_has_a_choice_and_a_label() -> None:
    assert set(VERDICTS) == set(Verdict.values)
    assert verdict_label("satire") == "SATIRE/PARODI"
    assert verdict_label("konten_dimanipulasi") == "KONTEN DIMANIPULASI"
