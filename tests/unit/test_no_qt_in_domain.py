"""The headless layers never load Qt: checked in a fresh interpreter, not just by import-linter."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CODE = """
import sys
import app.domain.model, app.domain.conditions, app.domain.engine, app.domain.case_facts
import app.domain.settings, app.domain.language, app.domain.sources, app.domain.definition
import app.catalog, app.catalog.schema, app.cli, app.cli.checklists
from app.cli import build_parser
from app.catalog import load_catalog
load_catalog('tests/unit/fixtures/catalog')
build_parser()
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'reportlab', 'sqlite_utils'))
print(','.join(loaded))
"""


def test_domain_catalog_and_cli_do_not_import_qt():
    result = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = [m for m in result.stdout.strip().split(",") if m]
    assert not [m for m in loaded if m.startswith(("PySide6", "shiboken6"))], loaded


def test_domain_and_catalog_stay_out_of_storage_and_reports():
    code = CODE.replace("import app.catalog, app.catalog.schema, app.cli, app.cli.checklists",
                        "import app.catalog, app.catalog.schema").replace("from app.cli import build_parser", "") \
        .replace("build_parser()", "")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
