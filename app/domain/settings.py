"""Local settings: every setting the app knows, declared once with its type, default and meaning.

`checklists/settings.yaml` overrides the defaults. Conditions read them as `settings.<name>`;
messages and actions use `{settings.<name>}`, replaced by `Settings.format`. Messages and actions may
also use a few wordings worked out from several settings (`DERIVED`), such as
`{settings.mash_phone_and_out_of_hours}`; these are text only and cannot be set or used in conditions."""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{settings\.([A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SettingSpec:
    """The declaration of one setting."""

    name: str
    type: type
    default: int | str
    description: str


def _declare(*specs: SettingSpec) -> dict[str, SettingSpec]:
    return {spec.name: spec for spec in specs}


DECLARED: Mapping[str, SettingSpec] = _declare(
    SettingSpec("prebirth_referral_week", int, 16,
                "Week of pregnancy by which a pre-birth referral to children's social care should be made."),
    SettingSpec("prebirth_conference_week", int, 34,
                "Week of pregnancy by which any pre-birth child protection conference should be held."),
    SettingSpec("late_booking_week", int, 24,
                "A first antenatal booking after this week of pregnancy counts as late booking."),
    SettingSpec("wnb_pattern_count", int, 2,
                "Missed (Was Not Brought) appointments in 12 months that make a pattern."),
    SettingSpec("cumulative_risk_threshold", int, 3,
                "Number of co-occurring risk factors that means consulting the safeguarding lead."),
    SettingSpec("transfer_in_conference_days", int, 15,
                "Working days within which a transfer-in child protection conference should be held."),
    SettingSpec("mash_name", str, "the MASH (Multi-Agency Safeguarding Hub)",
                "Name of the front door that takes safeguarding referrals."),
    SettingSpec("mash_phone", str, "0121 569 3100", "Phone number for referrals during office hours."),
    SettingSpec("out_of_hours_phone", str, "0121 569 3100", "Phone number for urgent referrals out of hours."),
    SettingSpec("police_non_emergency", str, "101", "Police non-emergency number."),
    SettingSpec("nspcc_helpline", str, "0808 800 5000", "NSPCC helpline number."),
    SettingSpec("neglect_tool", str, "the We Can neglect toolkit",
                "The neglect assessment tool agencies here have agreed to use."),
    SettingSpec("partnership_name", str, "Sandwell Children's Safeguarding Partnership",
                "The name of the local safeguarding partnership, shown on reports."),
    SettingSpec("safeguarding_lead", str, "your named safeguarding lead",
                "Who a practitioner consults for safeguarding advice, as it reads in a sentence."),
)


@dataclass(frozen=True)
class DerivedText:
    """A `{settings.<name>}` wording for messages and actions, worked out from declared settings."""

    name: str
    uses: tuple[str, ...]
    description: str
    compose: Callable[[Mapping[str, object]], str]


def _same_number(a: str, b: str) -> bool:
    """Whether two phone numbers are the same, however they are spaced or punctuated."""
    def key(number: str) -> str:
        return re.sub(r"\D", "", number) or " ".join(number.split()).casefold()
    return key(a) == key(b)


def _phone_and_out_of_hours(values: Mapping[str, object]) -> str:
    office, out_of_hours = str(values["mash_phone"]), str(values["out_of_hours_phone"])
    if _same_number(office, out_of_hours):
        return f"{office} (also out of hours)"
    return f"{office} (out of hours {out_of_hours})"


def _derive(*texts: DerivedText) -> dict[str, DerivedText]:
    for text in texts:
        if text.name in DECLARED:
            raise ValueError(f"Derived wording '{text.name}' has the name of a setting.")
        unknown = [name for name in text.uses if name not in DECLARED]
        if unknown:
            raise ValueError(f"Derived wording '{text.name}' uses undeclared settings {unknown}.")
    return {text.name: text for text in texts}


DERIVED: Mapping[str, DerivedText] = _derive(
    DerivedText("mash_phone_and_out_of_hours", ("mash_phone", "out_of_hours_phone"),
                "The MASH number and when to use it: '<mash_phone> (also out of hours)' when the out-of-hours "
                "number is the same, '<mash_phone> (out of hours <out_of_hours_phone>)' when it differs.",
                _phone_and_out_of_hours),
)


class SettingsError(ValueError):
    """Settings values that do not match their declarations."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def unknown_setting_message(name: str) -> str:
    """A message for a setting name that is not declared, with a suggestion when one is close."""
    derived = DERIVED.get(name)
    if derived is not None:
        return (f"'{name}' is not a setting of its own: it is worked out from {' and '.join(derived.uses)}, "
                f"and can only be written as {{settings.{name}}} in a message or action.")
    close = difflib.get_close_matches(name, list(DECLARED), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else f" Known settings: {', '.join(DECLARED)}."
    return f"Unknown setting '{name}'.{hint}"


def unknown_placeholder_message(name: str) -> str:
    """A message for a `{settings.x}` placeholder that names neither a setting nor a derived wording."""
    known = [*DECLARED, *DERIVED]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else f" Known names: {', '.join(known)}."
    return f"Unknown setting '{name}'.{hint}"


def check_values(values: Mapping[object, object]) -> list[tuple[str, str]]:
    """Check override values against the declarations; returns (key, message) pairs."""
    problems: list[tuple[str, str]] = []
    for key, value in values.items():
        name = str(key)
        spec = DECLARED.get(name) if isinstance(key, str) else None
        if spec is None:
            problems.append((name, unknown_setting_message(name)))
        elif spec.type is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append((name, f"Setting '{name}' must be a whole number, like {spec.default} — got {value!r}."))
        elif spec.type is int and value < 0:
            problems.append((name, f"Setting '{name}' cannot be negative — got {value}."))
        elif spec.type is str and (not isinstance(value, str) or not value.strip()):
            problems.append((name, f"Setting '{name}' must be some text, like \"{spec.default}\" — got {value!r}."))
    return problems


def unknown_placeholders(text: str) -> list[str]:
    """The `{settings.x}` placeholders in `text` that name neither a declared setting nor a derived wording."""
    return [name for name in PLACEHOLDER.findall(text) if name not in DECLARED and name not in DERIVED]


class Settings(Mapping[str, object]):
    """Setting values: the declared defaults overridden by `values`.

    Read as `settings.mash_phone`, `settings["mash_phone"]` or `settings.get("mash_phone")`."""

    declared: Mapping[str, SettingSpec] = DECLARED

    def __init__(self, values: Mapping[str, object] | None = None):
        values = dict(values or {})
        problems = check_values(values)
        if problems:
            raise SettingsError(problems)
        merged = {name: spec.default for name, spec in DECLARED.items()}
        merged.update({name: value.strip() if isinstance(value, str) else value for name, value in values.items()})
        object.__setattr__(self, "_values", merged)

    def __getattr__(self, name: str) -> object:
        values = object.__getattribute__(self, "_values")
        try:
            return values[name]
        except KeyError:
            raise AttributeError(unknown_setting_message(name)) from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Settings are read-only; build a new Settings instead.")

    def __getitem__(self, name: str) -> object:
        try:
            return self._values[name]
        except KeyError:
            raise KeyError(unknown_setting_message(name)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if v != DECLARED[k].default}
        return f"Settings({changed!r})"

    def text(self, name: str) -> str:
        """What `{settings.<name>}` reads as: a setting's value, or a derived wording (see `DERIVED`).

        Raises KeyError for a name that is neither."""
        derived = DERIVED.get(name)
        return derived.compose(self) if derived is not None else str(self[name])

    def format(self, text: str) -> str:
        """Replace each `{settings.x}` in `text` with its value or derived wording.

        Raises KeyError for an unknown name; the catalog rejects those when it loads a file."""
        return PLACEHOLDER.sub(lambda m: self.text(m.group(1)), text)


SETTINGS = Settings()
