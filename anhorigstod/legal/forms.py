from __future__ import annotations

from django import forms

from anhorigstod.legal.models import PrivacyNotice
from anhorigstod.legal.services import EDITABLE_FIELDS


class PrivacyNoticeForm(forms.ModelForm):
    class Meta:
        model = PrivacyNotice
        fields = EDITABLE_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}
