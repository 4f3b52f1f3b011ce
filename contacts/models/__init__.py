"""The contacts app's models: a package, split by topic in the next commit."""

from contacts.models.carers import *  # noqa: F403
