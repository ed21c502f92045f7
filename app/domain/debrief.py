"""The debrief after a training scenario: the flags a group's answers raised, stage by stage, against
the flags the scenario expected. Pure: no files, no database, no screen."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class FlagComparison:
    """Expected against raised, for one stage. Each list keeps the order of `expected`, then `raised`."""

    expected: tuple[str, ...]
    raised: tuple[str, ...]

    @property
    def matched(self) -> tuple[str, ...]:
        """Expected and raised."""
        return tuple(f for f in self.expected if f in self.raised)

    @property
    def missed(self) -> tuple[str, ...]:
        """Expected but not raised."""
        return tuple(f for f in self.expected if f not in self.raised)

    @property
    def beyond(self) -> tuple[str, ...]:
        """Raised beyond the expected."""
        return tuple(f for f in self.raised if f not in self.expected)


def compare(expected: Iterable[str], raised: Iterable[str]) -> FlagComparison:
    """Compare the flags a stage expected with those the group's answers raised."""
    return FlagComparison(_unique(expected), _unique(raised))


@dataclass(frozen=True)
class StageResult:
    """One stage of the debrief. `reached` is False when the group never finished the stage."""

    index: int
    title: str
    comparison: FlagComparison
    reached: bool


@dataclass(frozen=True)
class FlagOutcome:
    """A flag in the summary, with the stages (1-based) where it was missed or raised beyond the expected."""

    flag_id: str
    stages: tuple[int, ...]


@dataclass(frozen=True)
class Debrief:
    """The whole debrief: each stage, and overall which flags were missed and which went beyond."""

    stages: tuple[StageResult, ...]

    @property
    def complete(self) -> bool:
        """True when the group finished every stage."""
        return all(stage.reached for stage in self.stages)

    @property
    def expected_count(self) -> int:
        """How many stage-and-flag expectations there were across the reached stages."""
        return sum(len(s.comparison.expected) for s in self.stages if s.reached)

    @property
    def matched_count(self) -> int:
        return sum(len(s.comparison.matched) for s in self.stages if s.reached)

    def _outcomes(self, pick: str) -> tuple[FlagOutcome, ...]:
        found: dict[str, list[int]] = {}
        for stage in self.stages:
            if stage.reached:
                for flag_id in getattr(stage.comparison, pick):
                    found.setdefault(flag_id, []).append(stage.index + 1)
        return tuple(FlagOutcome(flag_id, tuple(stages)) for flag_id, stages in found.items())

    @property
    def missed(self) -> tuple[FlagOutcome, ...]:
        """Flags expected but not raised at one or more stages, in the order first missed."""
        return self._outcomes("missed")

    @property
    def beyond(self) -> tuple[FlagOutcome, ...]:
        """Flags raised beyond the expected at one or more stages, in the order first raised."""
        return self._outcomes("beyond")

    @property
    def matched(self) -> tuple[FlagOutcome, ...]:
        """Flags raised where they were expected, with the stages where that happened."""
        return self._outcomes("matched")

    @property
    def all_matched(self) -> bool:
        """Every stage finished, nothing missed and nothing beyond the expected."""
        return self.complete and not self.missed and not self.beyond


def build_debrief(stages: Sequence[tuple[str, Iterable[str]]], raised: Mapping[int, Iterable[str]]) -> Debrief:
    """`stages` is each stage's (title, expected flag ids); `raised` maps a stage index (0-based) to the flag
    ids the group's answers raised when they finished that stage. Stages missing from `raised` were not reached."""
    results = []
    for index, (title, expected) in enumerate(stages):
        reached = index in raised
        results.append(StageResult(index, title, compare(expected, raised.get(index, ())), reached))
    return Debrief(tuple(results))
