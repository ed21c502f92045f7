"""The parsed-YAML cache only ever serves the parse of exactly the same bytes."""
from app.catalog.parse_cache import ParseCache
from app.catalog.yaml_source import parse_yaml


def test_a_cached_parse_comes_back_identical_with_its_lines(tmp_path):
    cache = ParseCache(tmp_path)
    raw = "id: demo\nsections:\n  - id: one\n    title: One\n    when: case.age_months < 6\n".encode()
    located = parse_yaml(raw.decode())
    assert cache.get(raw) is None
    cache.put(raw, located)
    again = cache.get(raw)
    assert again.data == located.data and again.lines == located.lines
    assert again.line(("sections", 0, "when")) == 5


def test_changed_bytes_miss_the_cache_and_a_damaged_entry_is_ignored(tmp_path):
    cache = ParseCache(tmp_path)
    raw = b"id: demo\n"
    cache.put(raw, parse_yaml(raw.decode()))
    assert cache.get(b"id: demo2\n") is None
    for entry in tmp_path.glob("*.json"):
        entry.write_text("{not json")
    assert cache.get(raw) is None


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    cache = ParseCache(tmp_path)
    raw = b"id: demo\n"
    monkeypatch.setenv("SPC_NO_PARSE_CACHE", "1")
    cache.put(raw, parse_yaml(raw.decode()))
    assert list(tmp_path.iterdir()) == [] and cache.get(raw) is None
