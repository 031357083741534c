from factcheck.personal import (
    contact_decrypt,
    contact_encrypt,
    contact_hash,
    contact_mask,
)


def test_contacts_are_hashed_with_a_key_and_encrypted() -> None:
    phone = "+6281234567890"
    digest = contact_hash("whatsapp", phone)
    assert digest == contact_hash("whatsapp", phone)
    assert digest != contact_hash("telegram", phone)
    assert phone not in digest and len(digest) == 64
    token = contact_encrypt(phone)
    assert phone not in token
    assert contact_decrypt(token) == phone


def test_undecryptable_tokens_give_none(settings) -> None:
    token = contact_encrypt("+6281234567890")
    settings.SECRET_KEY = "another-key-entirely"
    assert contact_decrypt(token) is None
    assert contact_decrypt("") is None


def test_masks() -> None:
    assert contact_mask("whatsapp", "+6281234567890") == "+62812•••••890"
    assert contact_mask("telegram", "123456789") == "telegram:12•••••89"
