"""A cache of parsed YAML files, keyed by the SHA-256 of their bytes.

Only files that parsed cleanly are cached, as plain JSON (data plus the line of every node), in the
user's cache folder. A changed file has a new key, so the cache can never serve stale content; a cache
that cannot be read or written is simply not used. Set SPC_NO_PARSE_CACHE=1 to turn it off.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from app.catalog.yaml_source import Located

FORMAT = 1  # raise when the cached form or the parser's output changes


class ParseCache:
    """Parsed-file cache; `get` and `put` never raise."""

    def __init__(self, folder: Path | None = None):
        self._folder = folder

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(platformdirs.user_cache_dir("SafeguardingPracticeChecklists", appauthor=False)) / "yaml"
        return self._folder

    @staticmethod
    def _enabled() -> bool:
        return os.environ.get("SPC_NO_PARSE_CACHE", "") in ("", "0")

    def _file(self, raw: bytes) -> Path:
        digest = hashlib.sha256(FORMAT.to_bytes(2, "big") + raw).hexdigest()
        return self.folder / f"{digest}.json"

    def get(self, raw: bytes) -> "Located | None":
        """The parse of exactly these bytes, if cached."""
        if not self._enabled():
            return None
        from app.catalog.yaml_source import Located

        try:
            stored = json.loads(self._file(raw).read_text(encoding="utf-8"))
            return Located(stored["data"], {tuple(path): line for path, line in stored["lines"]})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, raw: bytes, located: "Located") -> None:
        """Remember a clean parse; failures to write are ignored (the cache is only a speed-up)."""
        if not self._enabled():
            return
        target = self._file(raw)
        payload = {"data": located.data, "lines": [[list(path), line] for path, line in located.lines.items()]}
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, target)
        except (OSError, TypeError, ValueError):
            pass
