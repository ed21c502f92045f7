"""The learning and guidance that prompts and flags cite."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One piece of review learning or guidance, from checklists/sources.yaml."""

    id: str
    title: str
    document: str
    summary: str
