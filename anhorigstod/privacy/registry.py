"""The register of personal data: every model that holds it, and how it is culled.

Each app declares its models in its ``AppConfig.ready()`` (the platform knows nothing
above it). A declaration says what in the model is personal data; a :class:`Rule` says
how such rows are removed (:class:`Removal`), from which moment (:class:`Clock`) and
after how long (:class:`Period`), and names the function that does it. A model that is
not culled by time says why (:meth:`Register.keep`): an account held while in use,
an organisation's own data, counts.

One job walks the rules (:mod:`anhorigstod.privacy.job`); ``tests/test_personal_data.py``
fails when a model with a name, an e-mail, a phone, a personnummer, free text or a
foreign key to a carer or a user is in no declaration.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

if TYPE_CHECKING:
    from anhorigstod.accounts.models import Municipality


class Removal(enum.StrEnum):
    DELETE = "delete the row"
    BLANK = "blank the personal fields"
    COUNT = "keep the row as a count, without who"


class Clock(enum.StrEnum):
    CARER_LAST_ENTRY = "the carer's last entry"
    SESSION_END = "the session's end"
    ACTIVITY_END = "the activity's last session's end"
    REQUEST_RECEIVED = "the request received"
    REQUEST_HANDLED = "the request handled"
    MESSAGE_WRITTEN = "the message written (sent messages are blanked when sent)"
    DRAFT_SAVED = "the draft last saved"
    REPORT_PERIOD_END = "the end of the period the report covers"
    LOGGED = "the access logged"
    BROWSER_SESSION_END = "the browser session's end"


def retention_cutoff(*, now: dt.datetime, years: int) -> dt.datetime:
    """``now`` minus ``years`` calendar years, in local time.

    A 29 February falls back to the 28th in a year that has none, so a record is
    never kept a day short of its retention time.
    """
    local = timezone.localtime(now)
    try:
        return local.replace(year=local.year - years)
    except ValueError:  # 29 February, target year not a leap year
        return local.replace(year=local.year - years, day=28)


@dataclass(frozen=True)
class Period:
    """How long after the clock a row is kept.

    ``municipality``: the municipality's ``retention_years`` (its dokumenthanteringsplan);
    ``shredder``: ``ANHORIGSTOD_SHREDDER_DAYS`` (information and open activities);
    ``own``: the rule's own setting, in ``unit`` (days or years), with its default.
    """

    kind: str  # municipality | shredder | own
    setting: str = ""
    default: int = 0
    unit: str = "days"  # days | years

    @classmethod
    def municipality_years(cls) -> Period:
        return cls("municipality")

    @classmethod
    def shredder_days(cls) -> Period:
        return cls("shredder", "ANHORIGSTOD_SHREDDER_DAYS", 1)

    @classmethod
    def own(cls, setting: str, default: int, *, unit: str = "days") -> Period:
        return cls("own", setting, default, unit)

    def amount(self, municipality: Municipality | None = None) -> int:
        if self.kind == "municipality":
            if municipality is None:
                raise ValueError("A municipality's retention time needs the municipality")
            return municipality.retention_years
        value = getattr(settings, self.setting, self.default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{self.setting} must be a whole number of {self.unit}, 0 or more")
        return value

    def cutoff(self, *, now: dt.datetime, municipality: Municipality | None = None) -> dt.datetime:
        """Rows whose clock is before this moment are due."""
        amount = self.amount(municipality)
        if self.kind == "municipality" or self.unit == "years":
            return retention_cutoff(now=now, years=amount)
        return now - dt.timedelta(days=amount)

    def describe(self, municipality: Municipality | None = None) -> str:
        if self.kind == "municipality":
            years = municipality.retention_years if municipality is not None else "retention_years"
            return f"{years} years (the municipality's retention_years)"
        amount = self.amount()
        unit = "year" if self.kind == "own" and self.unit == "years" else "day"
        return f"{amount} {unit}{'' if amount == 1 else 's'} ({self.setting})"


class Culler(Protocol):
    def __call__(
        self, *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
    ) -> dict[str, int]: ...


@dataclass(frozen=True)
class Rule:
    """One way rows of some models are culled.

    ``cull`` counts (and unless ``dry_run`` removes) what is due before ``cutoff`` and
    returns exactly ``count_keys``. It runs inside the job's transaction. With
    ``per_municipality`` it is called once per municipality with that municipality;
    otherwise once for the platform with ``municipality=None``.
    """

    key: str
    models: tuple[str, ...]
    removal: Removal
    clock: Clock
    period: Period
    cull: Culler
    count_keys: tuple[str, ...]
    which: str = ""  # which rows, when not all of them
    per_municipality: bool = True
    # For each model, the count key that counts its rows (cull_records prints per model).
    model_keys: tuple[tuple[str, str], ...] = ()

    def count_key_for(self, label: str) -> str:
        return dict(self.model_keys)[label]


@dataclass(frozen=True)
class Declaration:
    model: str  # app_label.ModelName
    fields: tuple[str, ...] = ()  # what in it is personal data
    kept: str = ""  # why it is not culled by time; empty when rules cull it


@dataclass
class Register:
    declarations: dict[str, Declaration] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)

    def declare(self, model: type[Model] | str, *, fields: Iterable[str]) -> None:
        """``model`` holds personal data in ``fields``; rules (:meth:`rule`) cull it."""
        label = _label(model)
        self.declarations[label] = Declaration(label, tuple(fields))

    def keep(self, model: type[Model] | str, *, reason: str, fields: Iterable[str] = ()) -> None:
        """``model`` is in the register but not culled by time, for ``reason``."""
        if not reason.strip():
            raise ValueError("Say why the model is not culled")
        label = _label(model)
        self.declarations[label] = Declaration(label, tuple(fields), kept=reason)

    def rule(
        self,
        key: str,
        *,
        models: Iterable[type[Model] | str],
        removal: Removal,
        clock: Clock,
        period: Period,
        cull: Culler,
        count_keys: Iterable[str],
        which: str = "",
        per_municipality: bool = True,
        model_keys: Mapping[str, str] | None = None,
    ) -> None:
        """Add (or, when an app is readied again, replace) a culling rule.

        ``model_keys``: which count key counts each model's rows; a rule of one model
        counts it with its first count key.
        """
        labels = tuple(_label(model) for model in models)
        count_keys = tuple(count_keys)
        if model_keys is None and len(labels) == 1:
            model_keys = {labels[0]: count_keys[0]}
        self.rules[key] = Rule(
            key=key,
            models=labels,
            model_keys=tuple((model_keys or {}).items()),
            removal=removal,
            clock=clock,
            period=period,
            cull=cull,
            count_keys=count_keys,
            which=which,
            per_municipality=per_municipality,
        )

    def rules_for(self, label: str) -> list[Rule]:
        return [rule for rule in self.rules.values() if label in rule.models]

    def selected(self, *, keys: Iterable[str] | None, per_municipality: bool) -> list[Rule]:
        wanted = set(keys) if keys is not None else None
        unknown = (wanted or set()) - set(self.rules)
        if unknown:
            raise KeyError(f"No rule {', '.join(sorted(unknown))} in the register")
        return [
            rule
            for rule in self.rules.values()
            if rule.per_municipality == per_municipality and (wanted is None or rule.key in wanted)
        ]


def _label(model: type[Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label


# The one register, filled by the apps' ready().
register = Register()


def describe(rule: Rule, municipality: Municipality | None = None) -> str:
    """One line for people: how, from when, how long."""
    which = f" ({rule.which})" if rule.which else ""
    return f"{rule.removal}{which}, {rule.period.describe(municipality)} after {rule.clock}"
