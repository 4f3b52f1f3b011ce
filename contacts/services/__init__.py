"""The contacts app's writes, one module per topic: ``carers``, ``talks`` (with the talk
form's drafts), ``notes``, ``support`` (consents, stödplan, respite, referrals),
``partners``, ``documentation`` (kinds of support, tiers, exemption decisions),
``handover``, ``measurements`` and ``retention`` (gallring).

Inside contacts, import from those modules. This package re-exports only what code
outside the app imports from it.
"""

from contacts.services.carers import age_band

__all__ = ["age_band"]
