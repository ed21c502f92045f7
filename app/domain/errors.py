"""Errors shared by the domain and the catalog loader."""
from __future__ import annotations

from dataclasses import dataclass


class CatalogError(ValueError):
    """A checklist, or another catalog file, does not follow docs/checklist-format.md."""


@dataclass(frozen=True)
class Issue:
    """One definition problem, located by its path inside the definition (keys and list indexes).

    `on_key` says the problem is with the key at the end of `path` itself (for example an unknown
    key) rather than with its value, so a loader can point at the right line."""

    path: tuple[str | int, ...]
    message: str
    on_key: bool = False
