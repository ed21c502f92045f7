"""Loading the whole catalog: every checklist plus settings, sources, vague language and scenarios."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.catalog.problems import Problem
from app.catalog.scenarios import Scenario, load_scenarios
from app.catalog.support import read_settings, read_sources, read_vague
from app.catalog.yaml_source import Located, YamlProblem, read_yaml
from app.domain.definition import build_checklist
from app.domain.language import VagueLanguage
from app.domain.model import Checklist
from app.domain.settings import SETTINGS, Settings
from app.domain.sources import Source

SETTINGS_FILE = "settings.yaml"
SOURCES_FILE = "sources.yaml"
VAGUE_FILE = "vague-language.yaml"
SUPPORT_FILES = (SETTINGS_FILE, SOURCES_FILE, VAGUE_FILE)
SCENARIOS_DIR = "scenarios"


@dataclass
class Catalog:
    """Everything read from a checklists folder. Files with problems are left out and their
    problems listed in `problems`."""

    checklists: dict[str, Checklist] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    settings: Settings = field(default_factory=lambda: SETTINGS)
    vague: VagueLanguage = field(default_factory=VagueLanguage)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # checklist id -> the file it came from

    @property
    def ok(self) -> bool:
        """True when no file had a problem."""
        return not self.problems


def _read(file: Path, problems: list[Problem]) -> Located | None:
    try:
        return read_yaml(file)
    except YamlProblem as exc:
        problems.append(Problem(str(file), exc.line, exc.message))
        return None


def _load_support(folder: Path, catalog: Catalog) -> frozenset[str] | None:
    """Read the three support files; returns the source ids checklists may cite (None: do not check)."""
    settings_file = folder / SETTINGS_FILE
    if settings_file.is_file():
        located = _read(settings_file, catalog.problems)
        if located is not None:
            catalog.settings, found = read_settings(str(settings_file), located)
            catalog.problems += found
    vague_file = folder / VAGUE_FILE
    if vague_file.is_file():
        located = _read(vague_file, catalog.problems)
        if located is not None:
            catalog.vague, found = read_vague(str(vague_file), located)
            catalog.problems += found
    sources_file = folder / SOURCES_FILE
    if not sources_file.is_file():
        catalog.problems.append(Problem(str(sources_file), None, "sources.yaml is missing, so the sources that "
                                                                  "prompts and flags cite cannot be checked."))
        return None
    located = _read(sources_file, catalog.problems)
    if located is None:
        return None
    catalog.sources, found = read_sources(str(sources_file), located)
    catalog.problems += found
    # an entry with its own problem still counts as existing, so citing it is not a second problem
    return frozenset(located.data) if isinstance(located.data, dict) and located.data else None


def load_checklist_file(file: Path, source_ids: frozenset[str] | None) -> tuple[Checklist | None, list[Problem]]:
    """Read and check one checklist file."""
    problems: list[Problem] = []
    located = _read(file, problems)
    if located is None:
        return None, problems
    checklist, issues = build_checklist(located.data, source_ids)
    for issue in issues:
        problems.append(Problem(str(file), located.line(issue.path), issue.message))
    return checklist, problems


def _placement_problem(file: Path, checklist: Checklist, loaded: list[tuple[Path, Checklist]]) -> Problem | None:
    """A checklist id used by more than one file, or a file not named after its id."""
    others = [other.name for other, c in loaded if c.id == checklist.id and other != file]
    if others:
        return Problem(str(file), _id_line(file), f"Checklist id '{checklist.id}' is also used by {', '.join(others)}. "
                                        f"Each checklist needs its own id; change one of them.")
    if file.stem != checklist.id:
        return Problem(str(file), _id_line(file), f"The file name should match the id: rename the file to "
                                        f"{checklist.id}.yaml or change the id to '{file.stem}'.")
    return None


def _id_line(file: Path) -> int:
    try:
        return read_yaml(file).line(("id",))
    except YamlProblem:
        return 1


def _load_scenarios(folder: Path, catalog: Catalog) -> None:
    """Read the training scenarios, checked against the checklists and sources already loaded."""
    scenarios, problems = load_scenarios(folder / SCENARIOS_DIR, catalog)
    catalog.scenarios = dict(scenarios)
    catalog.problems += problems


def load_catalog(path: str | Path = "checklists") -> Catalog:
    """Load a checklists folder (or a single checklist file with the support files beside it).

    Never raises for bad content: each problem is a `Problem(file, line, message)`, the file it is in
    is left out, and the other files still load."""
    target = Path(path)
    catalog = Catalog()
    if target.is_file():
        folder, files = target.parent, ([] if target.name in SUPPORT_FILES else [target])
    elif target.is_dir():
        folder = target
        files = sorted(f for f in target.glob("*.yaml") if f.is_file() and f.name not in SUPPORT_FILES)
    else:
        catalog.problems.append(Problem(str(target), None, "No such file or folder."))
        return catalog
    source_ids = _load_support(folder, catalog)
    loaded: list[tuple[Path, Checklist]] = []
    for file in files:
        checklist, problems = load_checklist_file(file, source_ids)
        catalog.problems += problems
        if checklist is not None:
            loaded.append((file, checklist))
    for file, checklist in loaded:
        problem = _placement_problem(file, checklist, loaded)
        if problem is not None:
            catalog.problems.append(problem)
        else:
            catalog.checklists[checklist.id] = checklist
            catalog.files[checklist.id] = file
    if target.is_dir():
        _load_scenarios(folder, catalog)
    return catalog
