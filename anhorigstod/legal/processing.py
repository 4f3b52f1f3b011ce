"""What the default privacy notice says about processing: the legal bases every app
cites, and what the platform itself processes.

The apps above the platform add their own items in their ``ready()``
(:meth:`anhorigstod.extensions.Extensions.add_privacy_notice_items`); each reads its
retention periods from the register of personal data (:mod:`anhorigstod.privacy.registry`),
so what the notice promises is what the nightly job does.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from anhorigstod.extensions import ProcessingItem
from anhorigstod.privacy.registry import register

# GDPR art. 6.1 e: the municipality's duty to offer carers support (socialtjänstlagen).
PUBLIC_TASK = gettext_lazy(
    "A task carried out in the public interest (GDPR art. 6.1 e): the municipality's duty under the "
    "Social Services Act (socialtjänstlagen, 2025:400) to offer support to people who care for someone close."
)
# GDPR art. 6.1 c and 9.2 h: the duty to document support, and information about health.
DOCUMENTATION_DUTY = gettext_lazy(
    "A legal obligation (GDPR art. 6.1 c): the duty to document support under the Social Services Act. "
    "Information about health is processed under GDPR art. 9.2 h and the Act on the processing of personal "
    "data in the social services (2001:454)."
)
# GDPR art. 6.1 c with art. 32: the security of the processing.
SECURITY_DUTY = gettext_lazy(
    "A legal obligation (GDPR art. 6.1 c and 32): to keep personal data secure and to be able to check who "
    "has read or changed it."
)


def period_amount(rule_key: str, municipality: Any = None) -> int:
    """The period of a rule of the register (days or years, as the rule counts it)."""
    return register.rules[rule_key].period.amount(municipality)


def days(number: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", number) % {"count": number}


def years(number: int) -> str:
    return ngettext("%(count)s year", "%(count)s years", number) % {"count": number}


def platform_items(municipality: Any) -> list[ProcessingItem]:
    """The carer's account, the e-mails the service sends, and the access log."""
    return [
        ProcessingItem(
            purpose=_("Your account for “My pages”, if you create one"),
            data=_("Your e-mail address, and your name if you give it."),
            legal_basis=PUBLIC_TASK,
            retention=_("As long as you keep the account. You can ask us to close it at any time."),
        ),
        ProcessingItem(
            purpose=_("E-mails we send you (confirmations, reminders, links)"),
            data=_("Your e-mail address and what the e-mail says."),
            legal_basis=PUBLIC_TASK,
            retention=_(
                "Removed from the outgoing queue once the e-mail has been sent, and after %(period)s at the latest."
            )
            % {"period": days(period_amount("outbox_messages"))},
        ),
        ProcessingItem(
            purpose=_("Security: a log of who read or changed a record"),
            data=_(
                "Which staff member opened or changed which record, when, and from which address. "
                "The log holds a code for the record, never your name."
            ),
            legal_basis=SECURITY_DUTY,
            retention=_("%(period)s, then deleted.") % {"period": years(period_amount("access_log"))},
        ),
    ]
