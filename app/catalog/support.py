"""Reading settings.yaml, sources.yaml and vague-language.yaml."""
from __future__ import annotations

import difflib
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from app.catalog.problems import Problem
from app.catalog.yaml_source import Located
from app.domain.language import VaguePhrase, VagueLanguage
from app.domain.settings import SETTINGS, Settings, check_values
from app.domain.sources import Source

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SourceSpec(_Spec):
    title: Text
    document: Text
    summary: Text


class PhraseSpec(_Spec):
    phrase: Text
    ask_instead: Text


class VagueFileSpec(_Spec):
    phrases: Annotated[list[PhraseSpec], Field(min_length=1)]


def _pydantic_problems(file: str, located: Located, exc: ValidationError, prefix: tuple, what: str,
                       model: type[BaseModel]) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        path = prefix + tuple(error["loc"])
        key = path[-1] if path else what
        line = located.line(path)
        if error["type"] == "extra_forbidden":
            allowed = list(model.model_fields) if len(error["loc"]) <= 1 else list(PhraseSpec.model_fields)
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            message = f"Unknown key '{key}' in {what}.{hint} Allowed keys: {', '.join(allowed)}."
        elif error["type"] == "missing":
            message = f"{what[0].upper()}{what[1:]} is missing the required key '{key}'."
        elif error["type"] in ("string_type", "string_too_short"):
            message = f"'{key}' in {what} must be some text."
        elif error["type"] in ("list_type", "too_short"):
            message = f"'{key}' in {what} must be a list with at least one entry, each with phrase and ask_instead."
        elif error["type"] in ("model_type", "dict_type", "model_attributes_type"):
            message = f"Each entry in {what} must have its keys on separate lines, like 'phrase: ...'."
        else:
            message = f"'{key}' in {what}: {error['msg']}."
        problems.append(Problem(file, line, message))
    return problems


def read_settings(file: str, located: Located) -> tuple[Settings, list[Problem]]:
    """Settings from settings.yaml: valid values override defaults; each bad one is a Problem."""
    data = located.data
    if data is None:
        return SETTINGS, []
    if not isinstance(data, dict):
        return SETTINGS, [Problem(file, 1, "settings.yaml must be a list of 'name: value' lines.")]
    problems = [Problem(file, located.line((key,)), message) for key, message in check_values(data)]
    bad = {key for key, _ in check_values(data)}
    return Settings({k: v for k, v in data.items() if k not in bad}), problems


def read_sources(file: str, located: Located) -> tuple[dict[str, Source], list[Problem]]:
    """Sources from sources.yaml; an entry with problems is left out."""
    data = located.data
    if not isinstance(data, dict) or not data:
        return {}, [Problem(file, 1, "sources.yaml must map each source id to its title, document and summary.")]
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for source_id, entry in data.items():
        what = f"source '{source_id}'"
        if not isinstance(entry, dict):
            problems.append(Problem(file, located.line((source_id,)),
                                    f"{what[0].upper()}{what[1:]} needs title, document and summary on the lines below it."))
            continue
        try:
            spec = SourceSpec.model_validate(entry)
        except ValidationError as exc:
            problems += _pydantic_problems(file, located, exc, (source_id,), what, SourceSpec)
            continue
        sources[source_id] = Source(source_id, spec.title, spec.document, spec.summary)
    return sources, problems


def read_vague(file: str, located: Located) -> tuple[VagueLanguage, list[Problem]]:
    """The vague-language list; a file with problems gives an empty list."""
    try:
        spec = VagueFileSpec.model_validate(located.data)
    except ValidationError as exc:
        if not isinstance(located.data, dict):
            return VagueLanguage(), [Problem(file, 1, "vague-language.yaml must have a 'phrases:' list, each "
                                                      "entry with phrase and ask_instead.")]
        return VagueLanguage(), _pydantic_problems(file, located, exc, (), "the vague-language list", VagueFileSpec)
    problems = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(spec.phrases):
        key = " ".join(entry.phrase.lower().split())
        if key in seen:
            problems.append(Problem(file, located.line(("phrases", index)),
                                    f"The phrase '{entry.phrase}' is listed twice (first as entry {seen[key] + 1})."))
        seen.setdefault(key, index)
    if problems:
        return VagueLanguage(), problems
    return VagueLanguage(VaguePhrase(p.phrase, p.ask_instead) for p in spec.phrases), []
