from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import Municipality, Role, Unit


class StaffCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"


class MunicipalityForm(forms.ModelForm):
    """The municipality's own settings; the kommunkod is its identity and is not edited."""

    retention_years = forms.IntegerField(
        label=_("Years before personal records are culled"),
        min_value=1,
        max_value=50,
        help_text=_(
            "From the municipality's dokumenthanteringsplan: a carer's record is culled this many years "
            "after its last entry. The nightly job uses the new value from its next run."
        ),
    )

    class Meta:
        model = Municipality
        fields = ("name", "public_intro", "public_phone", "public_email", "retention_years")
        widgets = {"public_intro": forms.Textarea(attrs={"rows": 4})}


class UnitForm(forms.ModelForm):
    """A unit of the municipality's tree; ``parent`` offers only units it may be placed below."""

    class Meta:
        model = Unit
        fields = ("name", "code", "kind", "parent", "public_phone", "public_email")
        help_texts = {
            "code": _("A short stable code of lower-case letters, digits and hyphens, used on the command line."),
        }

    def __init__(self, *args: Any, municipality: Municipality, parents: Any, top_allowed: bool, **kwargs: Any) -> None:
        kwargs.setdefault("instance", Unit(municipality=municipality))
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = parents.order_by("name")  # type: ignore[attr-defined]
        # Only the municipality's administrators place a unit at the top of the tree.
        parent.required = not top_allowed
        parent.empty_label = _("(at the top of the tree)") if top_allowed else None  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["code"]  # stable once created: scripts and exports use it


class MembershipAddForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
