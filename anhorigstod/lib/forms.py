"""Form helpers shared by the platform's views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def errors_into_form(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError into the form: at its field where the form has one,
    else at the top, so what the user typed stays and the message is next to it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
