"""The contacts app's reads: a package, split by topic in the next commits."""

from contacts.selectors.carers import *  # noqa: F403
