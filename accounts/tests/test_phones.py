import pytest

from accounts.phones import InvalidPhoneNumber, mask_phone, normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "(0812) 34567890",
        "+6281234567890",
    ],
)
def test_indonesian_formats_become_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+6281234567890"


def test_landline_with_area_code() -> None:
    assert normalize_phone("0541 123456") == "+62541123456"  # Samarinda


@pytest.mark.parametrize("raw", ["", "abc", "0812", "12345678901234567890", "+62 000"])
def test_invalid_numbers(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


def test_mask_keeps_prefix_and_last_digits() -> None:
    assert mask_phone("+6281234567890") == "+62812•••••890"
