"""Model fields for data encrypted at rest with the crypto provider (:mod:`zhuanban.core.crypto`)."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored as ``"<key id>:<base64>"`` (authenticated encryption), read back as plaintext.

    The ciphertext is bound to its column (``app.model.field`` as associated data), so a value copied
    into another column or row type does not decrypt.  An empty value stays empty (so "not given" needs
    no decryption); a value that is not in the ciphertext format is legacy plaintext and is returned as
    is, encrypted on its next save or by ``zhuanban crypto rotate``.  Encryption is randomised: the
    column cannot be searched or filtered by value.
    """

    description = "Text encrypted at rest"

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.aad = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value or not crypto.looks_encrypted(value):
            return value
        return crypto.get_provider().decrypt_text(value, aad=self.aad)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.looks_encrypted(value) and self._is_ciphertext(value):
            return value
        return crypto.get_provider().encrypt_text(str(value), aad=self.aad)

    def _is_ciphertext(self, value: str) -> bool:
        try:
            crypto.get_provider().decrypt_text(value, aad=self.aad)
        except crypto.CryptoError:
            return False
        return True
