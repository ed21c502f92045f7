"""The vague-language check: phrases that can make a concern sound smaller than it is."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class VaguePhrase:
    """A phrase to avoid, and what to write instead."""

    phrase: str
    ask_instead: str


@dataclass(frozen=True)
class Nudge:
    """One vague phrase found in a text, with where it is (`text[start:end]`)."""

    phrase: str
    ask_instead: str
    start: int
    end: int


class VagueLanguage:
    """Finds vague phrases in free text. Matching ignores case and treats any run of spaces as one;
    a phrase matches only as whole words, so 'DNA' is not found in 'DNAR'."""

    def __init__(self, phrases: Iterable[VaguePhrase] = ()):
        self.phrases = tuple(phrases)
        self._by_key = {self._key(p.phrase): p for p in self.phrases}
        parts = [r"\s+".join(re.escape(word) for word in p.phrase.split())
                 for p in sorted(self.phrases, key=lambda p: -len(p.phrase)) if p.phrase.strip()]
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE) if parts else None

    @staticmethod
    def _key(text: str) -> str:
        return " ".join(text.lower().split())

    def check(self, text: str) -> list[Nudge]:
        """Every vague phrase in `text`, in order."""
        if self._pattern is None or not text:
            return []
        nudges = []
        for match in self._pattern.finditer(text):
            phrase = self._by_key[self._key(match.group())]
            nudges.append(Nudge(phrase.phrase, phrase.ask_instead, match.start(), match.end()))
        return nudges
