"""The structure of a checklist file, as pydantic models.

One source of truth: the loader validates files against these models, and
`docs/checklist.schema.json` is generated from them. Rules that need more than one key at a
time (options only for choice types, conditions, ids) live in `app.domain.definition`."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.domain.case_facts import RELATIONSHIPS
from app.domain.model import AnswerType, Severity

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ChecklistId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
PromptId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
SourceId = Annotated[str, StringConstraints(min_length=1)]
TypeName = Literal[tuple(t.value for t in AnswerType)]  # type: ignore[valid-type]
SeverityName = Literal[tuple(s.value for s in Severity)]  # type: ignore[valid-type]
Relationship = Literal[RELATIONSHIPS]  # type: ignore[valid-type]
Sources = Annotated[list[SourceId], Field(min_length=1, description="Ids from checklists/sources.yaml.")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class OptionSpec(_Spec):
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")] = Field(
        description="Stored value, used in conditions: lower case letters, digits, underscores.")
    label: Text = Field(description="What the practitioner sees.")


def _prompt_schema_extra(schema: dict[str, Any]) -> None:
    choice = {"properties": {"type": {"enum": ["single_choice", "multi_choice"]}}, "required": ["type"]}
    schema["allOf"] = [
        {"if": choice, "then": {"required": ["options"]}, "else": {"not": {"required": ["options"]}}},
    ]


class PromptSpec(_Spec):
    model_config = ConfigDict(json_schema_extra=_prompt_schema_extra)

    id: PromptId = Field(description="Unique within the checklist; lower case letters, digits, underscores.")
    ask: Text = Field(description="The question, in plain words.")
    why: Text = Field(description="Why it matters and which learning it comes from.")
    type: TypeName = Field(description="The kind of answer.")
    options: Annotated[list[OptionSpec], Field(min_length=2)] | None = Field(
        default=None, description="Required for single_choice and multi_choice, and only for them.")
    required: bool = False
    when: Text | None = Field(default=None, description="Shown only when this condition holds.")
    sources: Sources
    min: float | None = Field(default=None, description="For number: the smallest allowed answer.")
    max: float | None = Field(default=None, description="For number: the largest allowed answer.")
    unit: Text | None = Field(default=None, description="For number: the unit, e.g. weeks.")
    roles: Annotated[list[Relationship], Field(min_length=1)] | None = Field(
        default=None, description="For person: which household relationships to offer.")


class SectionSpec(_Spec):
    id: ItemId = Field(description="Unique within the checklist.")
    title: Text
    intro: Text | None = None
    when: Text | None = Field(default=None, description="The whole section is shown only when this holds.")
    skipped_because: Text | None = Field(default=None, description="Required with when: shown when skipped.")
    prompts: Annotated[list[PromptSpec], Field(min_length=1)]


class FlagSpec(_Spec):
    id: ItemId = Field(description="Unique within the checklist.")
    severity: SeverityName
    when: Text
    message: Text = Field(description="What was found. May use {settings.name}.")
    action: Text = Field(description="What to do. May use {settings.name}.")
    sources: Sources


class ChecklistSpec(_Spec):
    """A checklist file (docs/checklist-format.md)."""

    model_config = ConfigDict(title="Safeguarding practice checklist")

    id: ChecklistId = Field(description="Stable; lower case letters, digits and hyphens; never reuse an old id.")
    version: Annotated[int, Field(ge=1)] = Field(description="Raise it whenever wording or logic changes.")
    title: Text
    purpose: Text
    audience: Annotated[list[Text], Field(min_length=1)]
    subject: Literal["child", "unborn", "either"]
    sections: Annotated[list[SectionSpec], Field(min_length=1)]
    flags: list[FlagSpec]


# which spec each kind of node in a checklist file follows, for messages
KEYS = {
    "checklist": tuple(ChecklistSpec.model_fields),
    "section": tuple(SectionSpec.model_fields),
    "prompt": tuple(PromptSpec.model_fields),
    "option": tuple(OptionSpec.model_fields),
    "flag": tuple(FlagSpec.model_fields),
}
REQUIRED = {
    "checklist": tuple(k for k, f in ChecklistSpec.model_fields.items() if f.is_required()),
    "section": tuple(k for k, f in SectionSpec.model_fields.items() if f.is_required()),
    "prompt": tuple(k for k, f in PromptSpec.model_fields.items() if f.is_required()),
    "option": tuple(k for k, f in OptionSpec.model_fields.items() if f.is_required()),
    "flag": tuple(k for k, f in FlagSpec.model_fields.items() if f.is_required()),
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema for a checklist file."""
    schema = ChecklistSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "checklist.schema.json"
    schema["description"] = "A checklist file in checklists/. See docs/checklist-format.md."
    return schema
