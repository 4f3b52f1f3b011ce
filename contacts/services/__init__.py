"""The contacts app's writes: a package, split by topic in the next commits."""

from contacts.services.talks import *  # noqa: F403
from contacts.services.talks import _require_manager  # noqa: F401
