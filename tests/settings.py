"""Test settings: only what tests need differs from anhorigstod.settings."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-with-enough-length-and-entropy-123456")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from anhorigstod.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PRIVATE_STORAGE_ROOT = BASE_DIR / ".test-private"  # noqa: F405
# Tasks run in-process in tests; the worker tests switch this off to use the real broker.
CELERY_TASK_ALWAYS_EAGER = True
# Parallel test workers (pytest-xdist) that share one Redis keep apart: their databases
# reuse the same ids, and cached results are keyed by them.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
