"""Settings for the test suite: the production settings with test-only conveniences."""

import os

os.environ.setdefault("ZHUANBAN_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ZHUANBAN_HTTPS", "0")
# No key material in the suite: a deterministic development key derived from SECRET_KEY (core.crypto).
os.environ.setdefault("ZHUANBAN_CRYPTO_DEV_KEY", "1")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
# Argon2 is deliberately slow; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Identity & sessions: 2FA is required per deployment; the suite at large logs in without it (the accounts
# tests turn it on with override_settings).  Django's test Client.login() authenticates without a request,
# which the axes backend refuses; this subclass lets such calls through (web and API logins still lock).
TWO_FACTOR_REQUIRED_FOR: list[str] = []
AUTHENTICATION_BACKENDS = ["zhuanban.accounts.backends.RequestOptionalAxesBackend",
                           "zhuanban.org.auth.CaseInsensitiveModelBackend"]
