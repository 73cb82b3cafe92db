import pytest
from django.core.exceptions import ImproperlyConfigured

from cases import crypto


def test_sealed_value_opens_only_in_its_column():
    stored = crypto.seal("Nguyễn Văn An", "cases.person.full_name")
    assert "Nguy" not in stored and stored.startswith(crypto.encryption_keys().current_id + "$")
    assert crypto.open_sealed(stored, "cases.person.full_name") == "Nguyễn Văn An"
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(stored, "cases.person.address")


def test_a_tampered_value_does_not_open():
    import base64

    stored = crypto.seal("066090123456", "cases.person.cccd")
    key_id, _, body = stored.partition("$")
    raw = bytearray(base64.b64decode(body))
    raw[14] ^= 1  # one bit of the ciphertext
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(f"{key_id}${base64.b64encode(bytes(raw)).decode()}", "cases.person.cccd")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(f"gone${body}", "cases.person.cccd")  # a key no longer configured


def test_same_text_seals_differently_each_time():
    assert crypto.seal("x", "c") != crypto.seal("x", "c")


@pytest.mark.parametrize(
    "raw",
    ["", "k1", "k1:notbase64!", "k1:" + "QUJD", "bad id:" + "A" * 44, "k1:{0},k1:{0}".format("A" * 43 + "=")],
)
def test_malformed_keys_are_refused(raw):
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keys(raw, "PCMT_CASE_KEYS")


def test_name_search_ignores_accents_case_and_spacing():
    assert crypto.fold("  Nguyễn   VĂN  Ánh Đạt ") == "nguyen van anh dat"
    assert crypto.name_hash("Nguyễn Văn Ánh") == crypto.name_hash("nguyen van anh")
    assert crypto.token_hash("Ánh") == crypto.token_hash("ANH")
    assert crypto.name_hash("Nguyễn Văn Ánh") != crypto.name_hash("Nguyễn Văn Anh Tuấn")


def test_hashes_use_their_own_key(settings):
    before = crypto.cccd_hash("066090123456")
    settings.PCMT_CASE_HASH_KEYS = "h2:" + "B" * 43 + "="
    crypto.reset_keys()
    try:
        assert crypto.cccd_hash("066090123456") != before
    finally:
        crypto.reset_keys()
