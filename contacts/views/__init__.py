"""The contacts app's pages: a package, split by page group in the next commits."""

from contacts.views.talks import *  # noqa: F403
