"""Writing docs/checklist.schema.json from the checklist models, so editors check files as they are typed."""
from __future__ import annotations

import json
from pathlib import Path

from app.domain.spec import json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "checklist.schema.json"


def schema_text() -> str:
    """The schema as the text committed in docs/checklist.schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: str | Path = SCHEMA_FILE) -> Path:
    """Write the JSON Schema for checklist files to `path` and return the path."""
    target = Path(path)
    target.write_text(schema_text(), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write_schema())
