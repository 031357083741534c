from __future__ import annotations

import pytest

from channels import addresses


def test_normalize_each_channel() -> None:
    assert addresses.normalize("whatsapp", "0812-3456-7890") == "+6281234567890"
    assert addresses.normalize("sms", "+6281234567890") == "+6281234567890"
    assert addresses.normalize("telegram", " -100123 ") == "-100123"
    assert addresses.normalize("email", "Ani@Example.ORG") == "ani@example.org"
    for channel, bad in [
        ("sms", "12"),
        ("telegram", "abc"),
        ("email", "x@"),
        ("fax", "1"),
    ]:
        with pytest.raises(addresses.InvalidAddress):
            addresses.normalize(channel, bad)


def test_hash_is_stable_keyed_and_per_channel(settings) -> None:
    one = addresses.address_hash("sms", "+6281234567890")
    assert one == addresses.address_hash("sms", "+6281234567890")
    assert one != addresses.address_hash("whatsapp", "+6281234567890")
    assert "6281234567890" not in one
    settings.SECRET_KEY = "another-key-for-this-test-only-0123456789"
    assert addresses.address_hash("sms", "+6281234567890") != one


def test_mask() -> None:
    assert addresses.mask("sms", "+6281234567890") == "+62812•••••890"
    assert addresses.mask("email", "ani@example.org") == "a•••@example.org"
    assert addresses.mask("telegram", "123456789") == "12•••••89"
