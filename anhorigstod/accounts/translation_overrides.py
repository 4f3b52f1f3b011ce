"""allauth strings whose Swedish translation we replace.

Listing them here keeps them in our catalogue (``makemessages`` only keeps strings it
finds in our sources), and our catalogue takes precedence over allauth's.
"""

from django.utils.translation import gettext_noop

OVERRIDES = (
    # allauth's Swedish reads "Already have an account? Then log in", but links to sign-up.
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
)
