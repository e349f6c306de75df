"""The crypto provider: hashes, keyed hashes (HMAC) and authenticated encryption behind one interface.

Two built-in suites, chosen by ``ZHUANBAN_CRYPTO``:

- ``gm`` (国密, the default): SM3 hash, HMAC-SM3, SM4-GCM (GB/T 32907 block cipher in GCM mode, which
  OpenSSL 3 provides through ``cryptography``);
- ``intl``: SHA-256, HMAC-SHA256, AES-256-GCM.

Keys: ``ZHUANBAN_CRYPTO_KEYS="k2:<base64>,k1:<base64>"`` (the first is the current key; the others
still decrypt and verify) or ``ZHUANBAN_CRYPTO_KEY_FILE`` (the same ``id:base64`` entries, one per line,
``#`` comments).  A key is at least 16 random bytes (32 recommended: ``python -c "import os,base64;
print(base64.b64encode(os.urandom(32)).decode())"``).  Each use derives its own sub-key from the master
key (``enc``, ``mac:<purpose>``), so one master key never serves two purposes directly.  When DEBUG (or
``ZHUANBAN_CRYPTO_DEV_KEY=1``, the test settings) is on and no key is configured, a deterministic
development key ``dev`` is derived from SECRET_KEY; production refuses to encrypt without a key.

Ciphertext is text ``"<key id>:<base64(alg byte | nonce | ciphertext | tag)>"``: the key id lets old keys
decrypt after a rotation, the algorithm byte lets values written under the other suite still decrypt
after switching.  ``zhuanban crypto rotate`` re-encrypts stored values under the current key and suite.

A certified cipher machine (密码机) plugs in through ``ZHUANBAN_CRYPTO_PROVIDER="package.module.factory"``:
a callable taking the ``CRYPTO`` settings dict and returning a :class:`CryptoProvider` (implement
``hash``, ``hmac``, ``encrypt``, ``decrypt``, ``current_key_id`` and ``key_ids``; keys then stay inside
the machine and ``hmac``/``encrypt`` call its API).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac as std_hmac
import os
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TOKEN_RE = re.compile(r"^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]+={0,2})$")
NONCE_BYTES = 12
TAG_BYTES = 16


class CryptoError(Exception):
    """A value failed authentication (tampered, or encrypted under a key this deployment lacks)."""


class CryptoProvider(ABC):
    """What the application needs from cryptography; a deployment may supply its own."""

    name: str = "abstract"

    @property
    @abstractmethod
    def current_key_id(self) -> str: ...

    @abstractmethod
    def key_ids(self) -> list[str]: ...

    @abstractmethod
    def hash(self, data: bytes) -> bytes:
        """A plain digest (SM3 or SHA-256)."""

    @abstractmethod
    def hmac(self, data: bytes, *, purpose: str = "mac", key_id: str | None = None) -> bytes:
        """A keyed digest under ``key_id`` (the current key by default)."""

    @abstractmethod
    def encrypt(self, plaintext: bytes, *, aad: bytes = b"") -> str:
        """Authenticated encryption under the current key; returns ``"<key id>:<base64>"``."""

    @abstractmethod
    def decrypt(self, token: str, *, aad: bytes = b"") -> bytes:
        """The plaintext, or :class:`CryptoError` if the token was altered or its key is unknown."""

    # ---- conveniences built on the primitives ------------------------------------------------------

    def mac(self, data: bytes, *, purpose: str = "mac", key_id: str | None = None) -> str:
        """``"<key id>:<hex>"`` — a keyed digest that names its key, so it verifies after a rotation."""
        kid = key_id or self.current_key_id
        return f"{kid}:{self.hmac(data, purpose=purpose, key_id=kid).hex()}"

    def verify_mac(self, data: bytes, token: str, *, purpose: str = "mac") -> bool:
        kid, _, digest = token.partition(":")
        if kid not in self.key_ids():
            return False
        return std_hmac.compare_digest(self.hmac(data, purpose=purpose, key_id=kid).hex(), digest)

    def encrypt_text(self, text: str, *, aad: str = "") -> str:
        return self.encrypt(text.encode("utf-8"), aad=aad.encode("utf-8"))

    def decrypt_text(self, token: str, *, aad: str = "") -> str:
        return self.decrypt(token, aad=aad.encode("utf-8")).decode("utf-8")

    def is_current(self, token: str) -> bool:
        """Whether ``token`` is already under the current key (and suite): rotation skips it."""
        return token.partition(":")[0] == self.current_key_id


def looks_encrypted(value: str) -> bool:
    return bool(TOKEN_RE.match(value))


# ---- the two built-in suites -----------------------------------------------------------------------


@dataclass(frozen=True)
class Suite:
    name: str
    alg: int  # the byte stored in front of every ciphertext
    digest: str  # hashlib / cryptography name
    key_bytes: int

    def new_hash(self) -> Any:
        from cryptography.hazmat.primitives import hashes

        return hashes.SM3() if self.digest == "sm3" else hashes.SHA256()

    def cipher(self, key: bytes) -> Any:
        from cryptography.hazmat.primitives.ciphers import algorithms

        return algorithms.SM4(key) if self.name == "gm" else algorithms.AES(key)


GM = Suite("gm", 1, "sm3", 16)
INTL = Suite("intl", 2, "sha256", 32)
SUITES = {s.name: s for s in (GM, INTL)}
SUITES_BY_ALG = {s.alg: s for s in (GM, INTL)}


def _hmac(suite: Suite, key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hmac

    h = hmac.HMAC(key, suite.new_hash())
    h.update(data)
    return h.finalize()


class SoftwareProvider(CryptoProvider):
    """Keys held by the application (environment or key file); the suite is SM (gm) or international."""

    def __init__(self, suite: Suite, keys: dict[str, bytes], current: str) -> None:
        if current not in keys:
            raise ImproperlyConfigured(f"current crypto key {current!r} is not in the key ring")
        self.suite = suite
        self.name = suite.name
        self._keys = dict(keys)
        self._current = current

    @property
    def current_key_id(self) -> str:
        return self._current

    def key_ids(self) -> list[str]:
        return list(self._keys)

    def _master(self, key_id: str) -> bytes:
        try:
            return self._keys[key_id]
        except KeyError:
            raise CryptoError(f"unknown crypto key id {key_id!r}") from None

    @functools.lru_cache(maxsize=64)  # noqa: B019  (providers live as long as the process)
    def _subkey(self, suite: Suite, key_id: str, purpose: str) -> bytes:
        digest = _hmac(suite, self._master(key_id), b"zhuanban/" + purpose.encode())
        return digest[: suite.key_bytes] if purpose == "enc" else digest

    def hash(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes

        h = hashes.Hash(self.suite.new_hash())
        h.update(data)
        return h.finalize()

    def hmac(self, data: bytes, *, purpose: str = "mac", key_id: str | None = None) -> bytes:
        kid = key_id or self._current
        return _hmac(self.suite, self._subkey(self.suite, kid, "mac:" + purpose), data)

    def encrypt(self, plaintext: bytes, *, aad: bytes = b"") -> str:
        from cryptography.hazmat.primitives.ciphers import Cipher, modes

        nonce = os.urandom(NONCE_BYTES)
        key = self._subkey(self.suite, self._current, "enc")
        enc = Cipher(self.suite.cipher(key), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        body = enc.update(plaintext) + enc.finalize()
        payload = bytes([self.suite.alg]) + nonce + body + enc.tag
        return f"{self._current}:{base64.b64encode(payload).decode('ascii')}"

    def decrypt(self, token: str, *, aad: bytes = b"") -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers import Cipher, modes

        m = TOKEN_RE.match(token or "")
        if not m:
            raise CryptoError("not a ciphertext")
        kid = m.group(1)
        try:
            payload = base64.b64decode(m.group(2), validate=True)
        except (binascii.Error, ValueError):
            raise CryptoError("ciphertext is not valid base64") from None
        if len(payload) < 1 + NONCE_BYTES + TAG_BYTES or payload[0] not in SUITES_BY_ALG:
            raise CryptoError("ciphertext is truncated or of an unknown algorithm")
        suite = SUITES_BY_ALG[payload[0]]
        nonce = payload[1 : 1 + NONCE_BYTES]
        body, tag = payload[1 + NONCE_BYTES : -TAG_BYTES], payload[-TAG_BYTES:]
        key = self._subkey(suite, kid, "enc")
        dec = Cipher(suite.cipher(key), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(aad)
        try:
            return dec.update(body) + dec.finalize()
        except InvalidTag:
            raise CryptoError("ciphertext failed authentication (altered, or wrong key)") from None

    def is_current(self, token: str) -> bool:
        m = TOKEN_RE.match(token or "")
        if not m or m.group(1) != self._current:
            return False
        try:
            return base64.b64decode(m.group(2))[0] == self.suite.alg
        except (binascii.Error, ValueError, IndexError):
            return False


# ---- configuration ---------------------------------------------------------------------------------


def parse_keys(text: str, *, source: str = "ZHUANBAN_CRYPTO_KEYS") -> dict[str, bytes]:
    """``"id1:base64,id2:base64"`` (or one per line) → ordered ``{id: key}``; the first is current."""
    keys: dict[str, bytes] = {}
    for raw in re.split(r"[,\n]", text):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        kid, sep, b64 = entry.partition(":")
        kid = kid.strip()
        if not sep or not KEY_ID_RE.match(kid):
            raise ImproperlyConfigured(f"{source}: entries are 'id:base64key' with id of [A-Za-z0-9_-]")
        try:
            key = base64.b64decode(b64.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"{source}: key {kid!r} is not valid base64") from None
        if len(key) < 16:
            raise ImproperlyConfigured(f"{source}: key {kid!r} is shorter than 16 bytes")
        if kid in keys:
            raise ImproperlyConfigured(f"{source}: key id {kid!r} appears twice")
        keys[kid] = key
    return keys


def dev_key() -> bytes:
    return hashlib.sha256(b"zhuanban-dev-crypto-key:" + settings.SECRET_KEY.encode()).digest()


def build_provider(conf: dict[str, Any]) -> CryptoProvider:
    if conf.get("PROVIDER"):
        factory = import_string(conf["PROVIDER"])
        provider = factory(conf)
        if not isinstance(provider, CryptoProvider):
            raise ImproperlyConfigured("ZHUANBAN_CRYPTO_PROVIDER must return a CryptoProvider")
        return provider
    suite_name = conf.get("SUITE", "gm")
    if suite_name not in SUITES:
        raise ImproperlyConfigured("ZHUANBAN_CRYPTO must be 'gm' (国密 SM3/SM4) or 'intl' (SHA-256/AES-GCM)")
    keys: dict[str, bytes] = {}
    if conf.get("KEYS"):
        keys = parse_keys(conf["KEYS"])
    elif conf.get("KEY_FILE"):
        path = Path(conf["KEY_FILE"])
        try:
            keys = parse_keys(path.read_text(encoding="utf-8"), source=str(path))
        except OSError as exc:
            raise ImproperlyConfigured(f"cannot read ZHUANBAN_CRYPTO_KEY_FILE {path}: {exc}") from exc
    if not keys:
        if not conf.get("DEV_KEY"):
            raise ImproperlyConfigured(
                "No encryption key: set ZHUANBAN_CRYPTO_KEYS='k1:<base64 of 32 random bytes>' or "
                "ZHUANBAN_CRYPTO_KEY_FILE (see docs/operations.md); personal data is encrypted at rest."
            )
        keys = {"dev": dev_key()}
    return SoftwareProvider(SUITES[suite_name], keys, next(iter(keys)))


@functools.lru_cache(maxsize=1)
def get_provider() -> CryptoProvider:
    return build_provider(getattr(settings, "CRYPTO", {"SUITE": "gm", "DEV_KEY": settings.DEBUG}))


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting in ("CRYPTO", "SECRET_KEY"):
        get_provider.cache_clear()


setting_changed.connect(_reset)
