"""The data is tested too: every file in checklists/ loads without problems and matches the schema."""
import json
from pathlib import Path

import jsonschema
import pytest

from app.catalog import load_catalog
from app.catalog.loader import SUPPORT_FILES
from app.catalog.schema import SCHEMA_FILE, schema_text
from app.catalog.yaml_source import read_yaml
from app.domain.definition import build_checklist

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "checklists"
CHECKLIST_FILES = sorted(f for f in SHIPPED.glob("*.yaml") if f.name not in SUPPORT_FILES)
FIXTURE = Path(__file__).parent / "fixtures" / "catalog" / "mini-bruising.yaml"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_there_are_shipped_checklists():
    assert CHECKLIST_FILES, "checklists/ has no checklist files"


@pytest.mark.parametrize("file", CHECKLIST_FILES, ids=lambda f: f.name)
def test_shipped_checklist_loads_without_problems(file):
    catalog = load_catalog(file)
    assert [str(p) for p in catalog.problems] == []
    assert file.stem in catalog.checklists


@pytest.mark.parametrize("file", CHECKLIST_FILES + [FIXTURE], ids=lambda f: f.name)
def test_checklist_matches_the_json_schema(file, validator):
    errors = [e.message for e in validator.iter_errors(read_yaml(file).data)]
    assert errors == []


def test_whole_shipped_catalog_has_no_problems():
    catalog = load_catalog(SHIPPED)
    assert [str(p) for p in catalog.problems] == []
    assert set(catalog.checklists) == {f.stem for f in CHECKLIST_FILES}
    assert catalog.vague.phrases and catalog.sources


def test_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), \
        "docs/checklist.schema.json is out of date: run .venv/bin/python -m app.catalog.schema"


@pytest.mark.parametrize("edit", [
    {"requried": True},
    {"type": "datetime"},
    {"options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
    {"sources": []},
])
def test_schema_rejects_what_the_loader_rejects(edit, validator):
    data = read_yaml(FIXTURE).data
    assert build_checklist(data)[0] is not None and not list(validator.iter_errors(data))
    data["sections"][1]["prompts"][1].update(edit)  # the date prompt seen_on
    assert list(validator.iter_errors(data))
    assert build_checklist(data)[0] is None
