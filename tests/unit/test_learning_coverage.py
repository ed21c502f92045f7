"""The learning from the reviews reaches practice: every piece of review learning in
checklists/sources.yaml is cited by at least one prompt or flag, and every citation points at a
source that exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from app.catalog import load_catalog
from app.domain.settings import DECLARED

ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = ROOT / "checklists"

# Ids of sources that come from the review seeds (local review learning, not national guidance).
SEED_PREFIXES = ("baby-l-", "child-r-", "sandwell-", "telford-")

# Baby L: every learning point and recommendation in the published learning paper.
BABY_L_LEARNING = [f"baby-l-1.{n}" for n in range(1, 19)] + [f"baby-l-1.6.{n}" for n in range(1, 9)]
BABY_L_RECOMMENDATIONS = [f"baby-l-rec-{n}" for n in range(1, 9)]
OTHER_SEED_LEARNING = ["child-r-neglect", "sandwell-info-sharing", "sandwell-wnb", "sandwell-safe-sleep-icon",
                       "sandwell-gp-registration", "telford-cspr10-fathers", "telford-cspr10-bruising",
                       "telford-cspr10-adult-mh"]
NATIONAL_GUIDANCE = ["nice-cg89", "panel-bruising-2022", "ten-4-facesp", "myth-invisible-men-2021",
                     "nspcc-unseen-men-2022", "rcgp-was-not-brought", "working-together-2023",
                     "lullaby-safer-sleep", "icon", "brandon-start-again", "aces-felitti", "hart-2000"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CHECKLISTS)


@pytest.fixture(scope="module")
def citations(catalog):
    """source id -> where it is cited, e.g. 'non-mobile-bruising: flag nim_mark_same_day'."""
    found: dict[str, list[str]] = {}
    for checklist in catalog.checklists.values():
        for prompt in checklist.prompts():
            for source in prompt.sources:
                found.setdefault(source, []).append(f"{checklist.id}: prompt {prompt.id}")
        for flag in checklist.flags:
            for source in flag.sources:
                found.setdefault(source, []).append(f"{checklist.id}: flag {flag.id}")
    return found


def test_catalog_loads(catalog):
    assert catalog.problems == []
    assert len(catalog.checklists) >= 5


def test_every_seed_source_is_cited(catalog, citations):
    seed_sources = [sid for sid in catalog.sources if sid.startswith(SEED_PREFIXES)]
    assert len(seed_sources) >= len(BABY_L_LEARNING) + len(OTHER_SEED_LEARNING)
    uncited = [sid for sid in seed_sources if sid not in citations]
    assert uncited == [], f"review learning that no prompt or flag carries: {uncited}"


@pytest.mark.parametrize("source_id", BABY_L_LEARNING + BABY_L_RECOMMENDATIONS + OTHER_SEED_LEARNING
                         + NATIONAL_GUIDANCE)
def test_expected_learning_has_a_source_entry(catalog, source_id):
    assert source_id in catalog.sources


def test_every_citation_names_a_source_that_exists(catalog, citations):
    unknown = {sid: where for sid, where in citations.items() if sid not in catalog.sources}
    assert unknown == {}


def test_every_prompt_and_flag_cites_something_and_says_why(catalog):
    for checklist in catalog.checklists.values():
        for prompt in checklist.prompts():
            assert prompt.sources, f"{checklist.id}: prompt {prompt.id} cites nothing"
            assert len(prompt.why.split()) >= 6, f"{checklist.id}: prompt {prompt.id} has too thin a why"
        for flag in checklist.flags:
            assert flag.sources, f"{checklist.id}: flag {flag.id} cites nothing"


@pytest.mark.parametrize("source_id", BABY_L_LEARNING + BABY_L_RECOMMENDATIONS)
def test_baby_l_sources_name_the_review(catalog, source_id):
    source = catalog.sources[source_id]
    assert "Baby L" in source.document
    number = source_id.removeprefix("baby-l-").replace("rec-", "recommendation ")
    if not source_id.startswith("baby-l-rec-"):
        number = f"learning {number}"
    assert source.title.endswith(number), source.title


def test_summaries_are_short(catalog):
    """Summaries are one or two sentences in our own words (docs/checklist-format.md, Sources)."""
    for sid, source in catalog.sources.items():
        text = " ".join(source.summary.split())
        sentences = re.split(r'(?<=[.!?])\s+(?=[A-Z0-9"])', text)
        assert 1 <= len(sentences) <= 2, f"{sid}: {len(sentences)} sentences"


def test_key_figures_from_the_seeds_are_kept(catalog):
    """Facts and figures carry over from the reviews even though the wording is ours."""
    summary = {sid: " ".join(s.summary.split()) for sid, s in catalog.sources.items()}
    assert "12 weeks" in summary["sandwell-gp-registration"]
    assert "eight days" in summary["child-r-neglect"]
    assert "70%" in summary["child-r-coexisting-abuse"]
    assert "4-month-old" in summary["telford-cspr10-fathers"]
    assert "15" in summary["transfer-between-areas"]
    assert "27%" in summary["panel-annual-2018-19"]


def test_settings_file_sets_exactly_the_declared_settings():
    raw = YAML(typ="safe").load((CHECKLISTS / "settings.yaml").read_text(encoding="utf-8"))
    assert set(raw) == set(DECLARED)


def test_settings_values(catalog):
    s = catalog.settings
    assert (s.prebirth_referral_week, s.prebirth_conference_week, s.late_booking_week) == (16, 34, 24)
    assert (s.wnb_pattern_count, s.cumulative_risk_threshold, s.transfer_in_conference_days) == (2, 3, 15)
    assert s.mash_phone == "0121 569 3100" and s.out_of_hours_phone == "0121 569 3100"
    assert (s.police_non_emergency, s.nspcc_helpline) == ("101", "0808 800 5000")


def test_local_settings_name_one_area(catalog):
    """The front door, its numbers and the partnership are all Sandwell's (the Sandwell review's own
    contact details); Wolverhampton's reviews stay sources of learning, not local contacts."""
    s = catalog.settings
    assert s.partnership_name == "Sandwell Children's Safeguarding Partnership"
    assert "Sandwell" in s.mash_name
    assert "Wolverhampton" not in f"{s.mash_name} {s.partnership_name}"
    assert s.text("mash_phone_and_out_of_hours") == "0121 569 3100 (also out of hours)"


REQUIRED_PHRASES = ["poor home conditions", "chaotic", "engaging well", "no concerns", "home conditions adequate",
                    "appropriate interaction", "good bond", "parents coping", "some concerns", "a bit unkempt",
                    "messy", "cluttered", "disguised compliance", "non-engagement", "historic concerns",
                    "volatile relationship", "low mood", "DNA"]


def test_vague_language_covers_the_common_phrases(catalog):
    phrases = {p.phrase.lower() for p in catalog.vague.phrases}
    assert len(phrases) >= 20
    missing = [p for p in REQUIRED_PHRASES if p.lower() not in phrases]
    assert missing == []
    for p in catalog.vague.phrases:
        assert len(p.ask_instead.split()) >= 8, f"'{p.phrase}': say specifically what to write instead"


@pytest.mark.parametrize("text, phrase, hint", [
    ("Home visit: poor home conditions, baby asleep.", "poor home conditions", "room"),
    ("Mum engaging well with the plan.", "engaging well", "changed"),
    ("Child DNA at clinic on 3 March.", "DNA", "Was Not Brought"),
    ("Dad has low mood since losing his job.", "low mood", "day to day"),
])
def test_vague_phrase_in_an_answer_gets_a_specific_suggestion(catalog, text, phrase, hint):
    nudges = catalog.vague.check(text)
    assert [n.phrase for n in nudges] == [phrase]
    assert hint in nudges[0].ask_instead


def test_specific_description_gets_no_nudge(catalog):
    text = ("Kitchen floor covered in dog faeces; two bottles of sour milk by the cot; "
            "baby in the same nappy since the morning visit, nappy rash weeping.")
    assert catalog.vague.check(text) == []
