"""Property tests: whatever is in a checklist file, the loader reports problems and never crashes."""
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML

from app.catalog import Catalog, Problem, load_catalog
from app.domain.errors import CatalogError
from app.domain.model import Checklist

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
BASE = (FIXTURES / "mini-bruising.yaml").read_text(encoding="utf-8")
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = ["id", "version", "title", "purpose", "audience", "subject", "sections", "flags", "prompts", "type",
        "options", "value", "label", "when", "ask", "why", "sources", "severity", "message", "action",
        "skipped_because", "min", "max", "roles", "required", "unit", "intro"]
WORDS = ["yes", "no", "child", "urgent", "date", "number", "multi_choice", "mobility == 'rolls'",
         "answered(x)", "{settings.mash_phone}", "{settings.nope}", "test-review", "a", "", "case.age_months < 3"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
                    st.sampled_from(WORDS), st.text(max_size=20))
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=6)),
    max_leaves=40,
)


def load_text(data: bytes) -> Catalog:
    with tempfile.TemporaryDirectory() as folder:
        for support in ("settings.yaml", "sources.yaml", "vague-language.yaml"):
            shutil.copy(FIXTURES / support, Path(folder) / support)
        (Path(folder) / "fuzz.yaml").write_bytes(data)
        return load_catalog(folder)


def check(catalog: Catalog) -> None:
    assert all(isinstance(p, Problem) and isinstance(p.message, str) and p.message for p in catalog.problems)
    assert all(p.line is None or p.line >= 1 for p in catalog.problems)
    if catalog.problems:
        assert "fuzz" not in catalog.checklists


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data):
    check(load_text(data))


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz_-:[]{}'\"#&*!|>%@`,.?0123456789 \n\t")),
               max_size=300))
def test_arbitrary_yaml_like_text(text):
    check(load_text(text.encode("utf-8")))


def dump(data) -> bytes:
    yaml = YAML()
    from io import StringIO
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


@FUZZ
@given(structures)
def test_arbitrary_structures(data):
    check(load_text(dump(data)))


@FUZZ
@given(st.integers(0, BASE.count("\n")), st.sampled_from(["", "  ", "- ", "x: [", "}", "&a ", "*a", ": :", "!!str ",
                                                          "\t", "when: and", "type: nope", "id: sites"]))
def test_the_fixture_with_one_line_damaged(index, insert):
    lines = BASE.split("\n")
    lines[index] = insert + lines[index]
    check(load_text("\n".join(lines).encode("utf-8")))


@FUZZ
@given(structures)
def test_from_snapshot_raises_only_catalog_error(data):
    try:
        Checklist.from_snapshot(data)
    except CatalogError:
        pass


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _replace(node, path, new):
    if not path:
        return new
    parent = node
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return node


@FUZZ
@given(st.data())
def test_the_fixture_with_one_value_replaced(data):
    from app.catalog.yaml_source import parse_yaml

    tree = parse_yaml(BASE).data
    path = data.draw(st.sampled_from(list(_paths(tree))))
    mutated = _replace(tree, path, data.draw(structures))
    check(load_text(dump(mutated)))
    try:
        Checklist.from_snapshot(mutated)
    except CatalogError:
        pass
