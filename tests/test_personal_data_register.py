"""Site-wide: every model that can hold personal data is in the register (anhorigstod.privacy).

In the style of the access matrix (tests/test_site.py): a model with a name, an e-mail,
a phone, a personnummer or free-text field, or with a foreign key to a carer or a user,
fails this test until its app declares it in ``AppConfig.ready()`` — culled by a rule
(how, from which clock, after which period) or kept, with the reason written down.
"""

from __future__ import annotations

import re

import pytest

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Model
from django.test.utils import isolate_apps

from anhorigstod.privacy.registry import Register, register

PERSONAL_NAME = re.compile(r"(^|_)(name|email|e_mail|phone|personnummer)($|_)")
PERSON_MODELS = (settings.AUTH_USER_MODEL, "contacts.Carer")


def personal_fields(model: type[Model]) -> list[str]:
    """The fields that make a model hold personal data, by the rule of the issue."""
    found = []
    for field in model._meta.local_fields:
        related = field.related_model if field.is_relation and field.many_to_one else None
        if related is not None and related._meta.label in PERSON_MODELS:  # type: ignore[union-attr]
            found.append(field.name)
        elif isinstance(field, models.EmailField | models.TextField | models.JSONField):
            found.append(field.name)  # an e-mail, or free text (JSON can hold anything typed)
        elif PERSONAL_NAME.search(field.name):
            found.append(field.name)
    return found


def undeclared(candidates: list[type[Model]], within: Register) -> list[str]:
    """``app.Model (fields)`` for each model with personal fields and no declaration."""
    return [
        f"{model._meta.label} ({', '.join(fields)})"
        for model in candidates
        if (fields := personal_fields(model)) and model._meta.label not in within.declarations
    ]


def test_every_model_with_personal_data_is_in_the_register() -> None:
    """Every installed model: the project's and those of the libraries it installs
    (allauth's e-mail addresses and authenticators, Django's sessions)."""
    missing = undeclared(apps.get_models(), register)
    assert not missing, (
        "Models that can hold personal data but are not in the register of personal data; "
        "declare each in its app's ready() (register.declare + register.rule, or register.keep "
        "with the reason): " + "; ".join(missing)
    )


def test_the_register_finds_a_model_with_an_e_mail_field_that_nobody_declared() -> None:
    """The negative control: the check above can fail."""
    with isolate_apps("groups"):

        class Newsletter(models.Model):
            email = models.EmailField()

            class Meta:
                app_label = "groups"

        class Tally(models.Model):
            count = models.PositiveIntegerField()

            class Meta:
                app_label = "groups"

        assert undeclared([Newsletter, Tally], register) == ["groups.Newsletter (email)"]
        within = Register(declarations=dict(register.declarations), rules=dict(register.rules))
        within.keep(Newsletter, reason="only for this test")
        assert undeclared([Newsletter, Tally], within) == []


def test_a_culled_model_names_every_personal_field_and_has_a_rule() -> None:
    problems = []
    for label, declaration in register.declarations.items():
        model = apps.get_model(label)
        names = {field.name for field in model._meta.get_fields()}
        if unknown := set(declaration.fields) - names:
            problems.append(f"{label}: no fields {sorted(unknown)}")
        if declaration.kept:
            if register.rules_for(label):
                problems.append(f"{label}: kept, yet a rule culls it")
            continue
        if not register.rules_for(label):
            problems.append(f"{label}: declared, but no rule culls it and no reason says why it is kept")
        if unnamed := set(personal_fields(model)) - set(declaration.fields):
            problems.append(f"{label}: personal fields not named in the declaration: {sorted(unnamed)}")
    assert not problems, "; ".join(problems)


def test_every_rule_covers_declared_models_with_its_own_count_keys() -> None:
    seen: dict[str, str] = {}
    for key, rule in register.rules.items():
        for label in rule.models:
            assert label in register.declarations, f"rule {key} culls {label}, which is not declared"
        assert rule.count_keys, f"rule {key} counts nothing"
        counted = dict(rule.model_keys)
        assert set(counted) == set(rule.models), f"rule {key}: say which count key counts each model's rows"
        assert set(counted.values()) <= set(rule.count_keys), f"rule {key}: model count keys must be its own"
        for count_key in rule.count_keys:
            assert count_key not in seen, f"count key {count_key} of {key} is also {seen[count_key]}'s"
            seen[count_key] = key


@pytest.mark.parametrize("kept", sorted(label for label, d in register.declarations.items() if d.kept))
def test_a_kept_model_says_why(kept: str) -> None:
    assert len(register.declarations[kept].kept) > 20
