"""Reading a YAML file into plain Python data, remembering the line of every key and list item."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from ruamel.yaml import YAML

from app.catalog.parse_cache import ParseCache
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

Path = tuple[str | int, ...]
MAX_NODES = 200_000
MAX_DEPTH = 60
MAX_BYTES = 5_000_000


class YamlProblem(Exception):
    """A file that cannot be read as YAML; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Located:
    """Plain data from a YAML file with the line each key or list item starts on."""

    data: object
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """The line of the node at `path`, or of its nearest parent that exists (1 for the top)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


parse_cache = ParseCache()


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


_DUPLICATE = re.compile(r'found duplicate key "(.*?)"')


def _explain_yaml_error(exc: MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = (exc.problem or "").strip()
    duplicate = _DUPLICATE.search(problem)
    if duplicate:
        first = exc.context_mark.line + 1 if exc.context_mark is not None else None
        where = f" (the block starting on line {first})" if first else ""
        return YamlProblem(f"The key '{duplicate.group(1)}' appears twice in the same block{where}. "
                           f"Keep one and remove or rename the other.", line)
    context = (exc.context or "").strip()
    text = f"{context}: {problem}" if context and problem else problem or context or "not valid YAML"
    return YamlProblem(f"This is not valid YAML: {text}. Check indentation, colons and quotes.", line)


def parse_yaml(text: str) -> Located:
    """Parse YAML text; raises YamlProblem if it cannot be read."""
    try:
        node = _yaml().load(text)
    except MarkedYAMLError as exc:
        raise _explain_yaml_error(exc) from None
    except RecursionError:
        raise YamlProblem("The file is nested too deeply to read.") from None
    except Exception as exc:  # ruamel raises plain errors for some content, e.g. an impossible date
        raise YamlProblem(f"This is not valid YAML: {exc}.") from None
    located = Located(None)
    counter = [0]
    located.data = _plain(node, (), located.lines, counter, ())
    return located


def read_yaml(file: FilePath) -> Located:
    """Read and parse a YAML file; raises YamlProblem if it cannot be read.

    Parsing with line numbers is slow (about 0.1 s for a checklist), so a file that parsed before is
    read back from a cache keyed by its exact bytes (see `parse_cache`)."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise YamlProblem(f"Cannot read the file: {exc.strerror or exc}.") from None
    if len(raw) > MAX_BYTES:
        raise YamlProblem(f"The file is larger than {MAX_BYTES // 1_000_000} MB; checklist files are much smaller.")
    cached = parse_cache.get(raw)
    if cached is not None:
        return cached
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem("The file is not UTF-8 text. Save it as UTF-8 in your editor.", line) from None
    located = parse_yaml(text)
    parse_cache.put(raw, located)
    return located


def _plain(node: object, path: Path, lines: dict[Path, int], counter: list[int], stack: tuple[int, ...]) -> object:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlProblem("The file has too many entries (or repeats anchors too often) to be a checklist file.")
    if len(path) > MAX_DEPTH:
        raise YamlProblem("The file is nested too deeply to be a checklist file.", _near(lines, path))
    if id(node) in stack:
        raise YamlProblem("An alias (*name) refers to a block that contains it; remove the loop.", _near(lines, path))
    if isinstance(node, CommentedMap):
        result: dict[str, object] = {}
        for key, value in node.items():
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise YamlProblem("Keys must be plain words, not lists or blocks.", _position(node, key, True))
            name = key if isinstance(key, str) else _scalar_text(key)
            if name in result:
                raise YamlProblem(f"The key '{name}' appears twice in the same block.", _position(node, key, True))
            line = _position(node, key, True)
            if line is not None:
                lines[path + (name,)] = line
            result[name] = _plain(value, path + (name,), lines, counter, stack + (id(node),))
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            line = _position(node, index, False)
            if line is not None:
                lines[path + (index,)] = line
            items.append(_plain(value, path + (index,), lines, counter, stack + (id(node),)))
        return items
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    if isinstance(node, (Mapping, list, tuple, set)):
        raise YamlProblem("This kind of YAML block (for example a set or a tagged block) is not used in "
                          "checklist files.", _near(lines, path))
    raise YamlProblem("YAML tags (values starting with '!') are not used in checklist files.", _near(lines, path))


def _scalar_text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _position(node: CommentedMap | CommentedSeq, key: object, is_key: bool) -> int | None:
    try:
        line = node.lc.key(key)[0] if is_key else node.lc.item(key)[0]
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return None if line is None else line + 1


def _near(lines: dict[Path, int], path: Path) -> int | None:
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
