"""The marks a released figure carries in place of a hidden number (``followup.disclosure``):
"<5" a small count, "x" a count hidden to protect another, ".." a share, mean or sum
built on a hidden count."""

from followup.measures import Hidden, Mark

SMALL = Hidden(Mark.SMALL)
PROTECTS = Hidden(Mark.PROTECTS)
UNAVAILABLE = Hidden(Mark.UNAVAILABLE)


def hidden(value: object) -> bool:
    return isinstance(value, Hidden)
