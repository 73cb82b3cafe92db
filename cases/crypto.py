"""Field encryption and keyed hashes of the case registry (issue 13 §3).

- Protected text (names, identity numbers, addresses, phones, free text) is sealed with AES-256-GCM
  (`cryptography`, authenticated encryption). A stored value reads ``<key id>$<base64 nonce+ciphertext>``;
  the associated data binds it to its column, so a value copied into another column fails to open.
- Keys come from ``PCMT_CASE_KEYS="id1:base64key,id2:base64key"`` (the first one seals, every one
  opens: rotation adds a new first key, `manage.py rotate_case_keys` re-seals, then the old key goes).
- Exact lookups never decrypt the table: an HMAC-SHA256 under a separate key
  (``PCMT_CASE_HASH_KEYS``, same format, the first one in use) of the normalised value.
- Outside production a fixed development key is used when none is configured; production refuses
  to start the registry without keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DEV_KEYS = "dev1:" + base64.b64encode(hashlib.sha256(b"pcmt-dev-case-key").digest()).decode()
_DEV_HASH_KEYS = "devh1:" + base64.b64encode(hashlib.sha256(b"pcmt-dev-case-hash-key").digest()).decode()
SEP = "$"


class DecryptionError(ValueError):
    """A stored value that no configured key opens (tampered, or its key was removed)."""


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[tuple[str, bytes], ...]  # (id, 32-byte key); the first one is current

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def key(self, key_id: str) -> bytes | None:
        return dict(self.keys).get(key_id)


def parse_keys(raw: str, name: str) -> KeyRing:
    """``id:base64key,…`` → KeyRing (each key 32 bytes, ids unique and without ``$`` or ``:``)."""
    keys: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, _, b64 = item.partition(":")
        if not key_id or not re.fullmatch(r"[A-Za-z0-9_-]{1,16}", key_id):
            raise ImproperlyConfigured(f"{name}: bad key id {key_id!r}")
        try:
            key = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: key {key_id!r} is not base64") from exc
        if len(key) != 32:
            raise ImproperlyConfigured(f"{name}: key {key_id!r} must be 32 bytes")
        if any(k == key_id for k, _ in keys):
            raise ImproperlyConfigured(f"{name}: key id {key_id!r} twice")
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured(f"{name} holds no key")
    return KeyRing(tuple(keys))


def _setting(name: str, dev_default: str) -> str:
    raw = getattr(settings, name, "") or os.environ.get(name, "")
    if raw:
        return str(raw)
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(f"{name} must be set in production (case registry keys)")
    return dev_default


@lru_cache(maxsize=1)
def encryption_keys() -> KeyRing:
    return parse_keys(_setting("PCMT_CASE_KEYS", _DEV_KEYS), "PCMT_CASE_KEYS")


@lru_cache(maxsize=1)
def hash_keys() -> KeyRing:
    return parse_keys(_setting("PCMT_CASE_HASH_KEYS", _DEV_HASH_KEYS), "PCMT_CASE_HASH_KEYS")


def reset_keys() -> None:
    """Forget the cached key rings (tests and rotation change the settings)."""
    encryption_keys.cache_clear()
    hash_keys.cache_clear()
    _aead.cache_clear()


@lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def seal(plain: str, context: str) -> str:
    """Encrypt `plain` for the column `context` with the current key."""
    ring = encryption_keys()
    key_id, key = ring.keys[0]
    nonce = os.urandom(12)
    data = _aead(key).encrypt(nonce, plain.encode("utf-8"), context.encode())
    return f"{key_id}{SEP}{base64.b64encode(nonce + data).decode()}"


def open_sealed(stored: str, context: str) -> str:
    key_id, sep, b64 = stored.partition(SEP)
    key = encryption_keys().key(key_id) if sep else None
    if key is None:
        raise DecryptionError(f"no key {key_id!r} for {context}")
    try:
        raw = base64.b64decode(b64)
        return _aead(key).decrypt(raw[:12], raw[12:], context.encode()).decode("utf-8")
    except Exception as exc:  # InvalidTag, bad base64: never return a forged value
        raise DecryptionError(f"value of {context} does not open") from exc


def seal_bytes(data: bytes, context: str) -> bytes:
    """Encrypt a whole file (an uploaded list waiting for its import job) with the current key."""
    key_id, key = encryption_keys().keys[0]
    nonce = os.urandom(12)
    return key_id.encode() + SEP.encode() + nonce + _aead(key).encrypt(nonce, data, context.encode())


def open_bytes(stored: bytes, context: str) -> bytes:
    key_id, sep, raw = stored.partition(SEP.encode())
    key = encryption_keys().key(key_id.decode("ascii", "replace")) if sep else None
    if key is None:
        raise DecryptionError(f"no key for {context}")
    try:
        return _aead(key).decrypt(raw[:12], raw[12:], context.encode())
    except Exception as exc:  # InvalidTag: never return a forged file
        raise DecryptionError(f"file of {context} does not open") from exc


def sealed_with(stored: str) -> str:
    """The id of the key a stored value was sealed with."""
    return stored.partition(SEP)[0]


# --- keyed hashes ------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), single spaces: "  Nguyễn  Văn Ánh" → "nguyen van anh"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[^0-9a-zA-Z\s]", " ", text)
    return _SPACES.sub(" ", text).strip().lower()


def tokens(name: str) -> list[str]:
    return sorted(set(fold(name).split()))


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 (current hash key) of a normalised value, hex, 32 characters (128 bits)."""
    key = hash_keys().keys[0][1]
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()[:32]


def cccd_hash(number: str) -> str:
    return keyed_hash("cccd", re.sub(r"\D", "", number))


def name_hash(name: str) -> str:
    return keyed_hash("name", fold(name))


def token_hash(token: str) -> str:
    return keyed_hash("tok", fold(token))[:16]


def token_hashes(name: str) -> list[str]:
    return [token_hash(t) for t in tokens(name)]


def identity_hash(name: str, birth_date_iso: str) -> str:
    """Name and birth date together: the key of "likely the same person"."""
    return keyed_hash("nb", f"{fold(name)}|{birth_date_iso}")


def term_hash(term: str) -> str:
    """What the access log keeps of a search term."""
    return keyed_hash("term", fold(term))
