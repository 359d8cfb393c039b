"""Fact alignment, judgement, inconsistencies, the fact table, and blocking cost."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing.facts.align import Mention, candidate_pairs, compatible
from framing.facts.entities import load_gazetteer
from framing.facts.evaluate import load_labels, score_facts, score_inconsistencies
from framing.facts.table import COLUMNS, facts_to_csv

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "facts"


@pytest.fixture(scope="module")
def fixture_section() -> dict:
    return framing.analyze(FIXTURE / "corpus").sections["facts"].to_dict()


@pytest.fixture(scope="module")
def heldout_section() -> dict:
    return framing.analyze(FIXTURE / "heldout" / "corpus").sections["facts"].to_dict()


_SAME = object()


def mention(index: int, low, high=_SAME, *, kind="number", unit=None, approximate=False,
            slot="deaths", event="event:kz-jan-2022", article=None, words=("people",)) -> Mention:
    high = low if high is _SAME else high
    return Mention(index=index, article=article or f"a{index}", outlet=f"o{index}", original_outlet=None,
                   kind=kind, event=event, slot=slot, unit=unit, low=low, high=high,
                   approximate=approximate, value=str(low), text=str(low), start=0, end=1,
                   sentence="", sentence_start=0, sentence_end=1, entities=frozenset(),
                   counts_words=tuple(words), attrs={})


@pytest.mark.parametrize("a, b, expected", [
    (mention(0, 225), mention(1, 238), True),                                   # within ~10%
    (mention(0, 164), mention(1, 200, 999, approximate=True), False),            # 164 vs "hundreds"
    (mention(0, 225), mention(1, 200, 999, approximate=True), True),
    (mention(0, 9000, 10000, approximate=True), mention(1, 12000, 18000, approximate=True), False),
    (mention(0, 164, None, approximate=True), mention(1, 227), True),            # "at least 164"
    (mention(0, 81.3, unit="%"), mention(1, 81, unit="%"), True),
    (mention(0, 77, unit="%"), mention(1, 81, unit="%"), False),
    (mention(0, 12, unit="%"), mention(1, 12), False),                           # units differ
])
def test_numbers_agree_within_tolerance_and_ranges(a, b, expected):
    assert compatible(a, b) is expected
    assert compatible(b, a) is expected


def test_dates_of_a_multi_day_event_agree_inside_its_known_dates():
    jan = load_gazetteer().events["event:kz-jan-2022"]
    day2 = mention(0, date(2022, 1, 2), kind="date", slot="date")
    day7 = mention(1, date(2022, 1, 7), kind="date", slot="date")
    feb21 = mention(2, date(2021, 2, 1), date(2021, 2, 28), kind="date", slot="date")
    assert compatible(day2, day7, jan)
    assert not compatible(day2, day7, None)       # without the event's dates they differ
    assert not compatible(day2, feb21, jan)


def test_the_issue_examples_on_the_fixture(fixture_section):
    facts = {f["id"]: f for f in fixture_section["facts"]}
    deaths = facts["event:kz-jan-2022/deaths"]
    assert deaths["status"] == "conflict"
    relation = {tuple(p["outlets"]): p["relation"] for p in deaths["pairs"]}
    assert relation[("caspian-wire", "northern-ledger")] == "conflict"     # 164 vs hundreds
    assert relation[("river-post", "steppe-daily")] == "agree"             # 238 vs 225
    election = facts["event:kz-pres-election-2022/date"]
    assert {m["value"] for m in election["mentions"]} == {"2022-11-20", "2022-11-27"}
    single = [f for f in fixture_section["facts"] if f["status"] == "single-source"]
    assert single and all(len(f["outlets"]) == 1 for f in single)


def test_every_mention_quotes_its_sentence_with_offsets_into_the_original(fixture_section):
    corpus = FIXTURE / "corpus"
    files = {"steppe-daily": "steppe.txt", "river-post": "river.txt", "northern-ledger": "northern.txt",
             "caspian-wire": "caspian.txt", "harbour-review": "harbour.txt"}
    for fact in fixture_section["facts"]:
        for m in fact["mentions"]:
            text = (corpus / files[m["outlet"]]).read_text(encoding="utf-8")
            assert text[m["start"]:m["end"]] == m["text"]
            assert text[m["sentence_start"]:m["sentence_end"]] == m["sentence"]
            assert m["sentence_start"] <= m["start"] < m["end"] <= m["sentence_end"]


def test_precision_and_recall_on_the_labelled_fixture(fixture_section):
    labels = load_labels(FIXTURE / "labels.toml")
    scores = score_facts(fixture_section, labels)
    for relation in ("agree", "conflict"):
        assert scores[relation].precision >= 0.9, (relation, scores[relation])
        assert scores[relation].recall >= 0.9, (relation, scores[relation])
    incons = score_inconsistencies(fixture_section, labels)
    assert incons.recall == 1.0 and incons.precision == 1.0


def test_precision_and_recall_on_the_held_out_fixture(heldout_section):
    labels = load_labels(FIXTURE / "heldout" / "labels.toml")
    scores = score_facts(heldout_section, labels)
    assert scores["agree"].precision >= 0.9 and scores["agree"].recall >= 0.75, scores
    assert scores["conflict"].precision >= 0.9 and scores["conflict"].recall >= 0.5, scores
    assert score_inconsistencies(heldout_section, labels).recall == 1.0


def test_the_scorer_counts_misses_and_false_alarms(fixture_section):
    labels = load_labels(FIXTURE / "labels.toml")
    flipped = json.loads(json.dumps(fixture_section))
    for fact in flipped["facts"]:
        for pair in fact["pairs"]:
            pair["relation"] = "agree" if pair["relation"] == "conflict" else "conflict"
    scores = score_facts(flipped, labels)
    assert scores["agree"].recall < 0.5 and scores["conflict"].precision < 0.5


def test_internal_inconsistency_and_known_date_contradictions(fixture_section):
    found = {(i["article"], i["text"]): i for i in fixture_section["inconsistencies"]}
    internal = found[("river-2022-03-10", "February 2021")]
    assert internal["kind"] == "internal" and "January 2, 2022" in internal["explanation"]
    assert found[("harbour-2022-12-01", "2018")]["kind"] == "known-date"


def test_agreement_matrix_counts_shared_agree_conflict(fixture_section):
    cells = {tuple(c["outlets"]): c for c in fixture_section["agreement"]}
    assert len(cells) == 10  # 5 outlets
    for cell in cells.values():
        assert cell["shared"] == cell["agree"] + cell["conflict"]
    shared = sum(1 for f in fixture_section["facts"]
                 if {"caspian-wire", "harbour-review"} <= set(f["outlets"]))
    assert cells[("caspian-wire", "harbour-review")]["shared"] == shared > 0


def test_fact_table_is_csv_with_one_row_per_mention(fixture_section):
    text = facts_to_csv(fixture_section)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == sum(len(f["mentions"]) for f in fixture_section["facts"])
    assert {r["status"] for r in rows} >= {"agree", "conflict", "single-source"}


def test_blocking_grows_linearly_not_quadratically():
    def corpus(n_articles: int) -> list[Mention]:
        words = ["export", "oil", "grain", "budget", "trade", "debt", "wage", "tax"]
        out = []
        for a in range(n_articles):
            for k in range(4):
                i = len(out)
                out.append(mention(i, float(i % 97), event=None, kind="percent", unit="%",
                                   article=f"art{a}", words=(words[(a + k) % 8], words[(a * 3 + k) % 8])))
        return out
    small, large = corpus(100), corpus(1000)
    p_small, p_large = len(candidate_pairs(small)), len(candidate_pairs(large))
    assert p_small > 0
    # 10x the mentions: linear cost is ~10x the pairs, quadratic would be ~100x.
    assert p_large <= 15 * p_small, (p_small, p_large)
    # Event-keyed mentions are grouped by key and never paired.
    assert candidate_pairs([mention(i, 1.0) for i in range(500)]) == set()


def test_fast_judgement_equals_comparing_every_pair():
    import random

    from framing.facts.align import judge

    gazetteer = load_gazetteer()
    jan = gazetteer.events["event:kz-jan-2022"]
    rng = random.Random(7)
    for trial in range(200):
        dated = trial % 2 == 0
        group = []
        for i in range(rng.randint(2, 8)):
            if dated:
                low = date(2021, 12, 20).toordinal() + rng.randint(0, 40)
                m = mention(i, date.fromordinal(low), date.fromordinal(low + rng.choice([0, 0, 9])),
                            kind="date", slot="date")
            else:
                low = rng.choice([150, 164, 200, 225, 238, 300])
                m = mention(i, float(low), float(low + rng.choice([0, 0, 50])),
                            approximate=rng.random() < 0.3)
            group.append(replace(m, outlet=f"o{rng.randint(0, 3)}"))
        fact = judge(group, gazetteer)
        for pair in fact.pairs:
            a, b = pair["outlets"]
            brute = any(not compatible(x, y, jan if dated else None)
                        for x in group if x.outlet == a for y in group if y.outlet == b)
            assert (pair["relation"] == "conflict") == brute


def test_cli_takes_a_gazetteer_and_fails_cleanly_on_a_missing_one(tmp_path, capsys):
    from framing.cli import main

    out = tmp_path / "out"
    assert main(["-q", "analyze", str(FIXTURE / "corpus"), "--out", str(out),
                 "--gazetteer", str(tmp_path / "missing.toml")]) == 1
    err = capsys.readouterr().err
    assert "E103" in err and "missing.toml" in err and len(err.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())
    # A user's own gazetteer (here: the packaged one copied) is used for the facts.
    own = tmp_path / "mine.toml"
    own.write_bytes(Path(load_gazetteer().path).read_bytes())
    assert main(["-q", "analyze", str(FIXTURE / "corpus"), "--out", str(out), "--gazetteer", str(own)]) == 0
    data = json.loads((out / "analysis.json").read_text("utf-8"))
    assert data["provenance"]["gazetteer"]["path"] == str(own)
    assert data["facts"]["summary"]["shared"] >= 5


def _reachable(root: object) -> list[object]:
    """Every object reachable from ``root`` through gc referents, not through classes."""
    import gc

    seen, stack, out = set(), [root], []
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        out.append(obj)
        stack.extend(gc.get_referents(obj))
    return out


def test_alignment_reads_the_documents_once_and_keeps_none_of_them():
    from framing.document import Document, Span
    from framing.facts.align import align_facts
    from framing.facts.extract import gazetteer_for

    result = framing.analyze(FIXTURE / "corpus")
    gazetteer = gazetteer_for(result.config)
    names = result.corpus.outlet_names()
    from_list = align_facts(list(result.documents), gazetteer, names)
    passes = []

    def once():  # like a corpus read back from disk: one pass, one document at a time
        passes.append(1)
        yield from result.documents

    streamed = align_facts(once(), gazetteer, names)
    assert len(passes) == 1
    assert streamed.to_dict() == from_list.to_dict() == result.sections["facts"].to_dict()
    kept = _reachable(streamed)
    assert not [o for o in kept if isinstance(o, (Document, Span))]


def test_the_stage_keeps_mentions_and_facts_on_disk_and_streams_them():
    from framing.facts.align import Fact, Mention, SpooledFactsSection
    from framing.results import EncodedRow

    section = framing.analyze(FIXTURE / "corpus").sections["facts"]
    assert isinstance(section, SpooledFactsSection)
    assert not [o for o in _reachable(section) if isinstance(o, (Mention, Fact))]
    items = dict(section.iter_items())
    rows = list(items["facts"])
    assert rows and all(type(row) is EncodedRow for row in rows)
    data = section.to_dict()
    assert [json.loads(row) for row in rows] == data["facts"]
    assert data["summary"]["facts"] == len(rows)
    data["summary"]["facts"] = -1  # a fresh dict: what is written does not change
    assert section.to_dict()["summary"]["facts"] == len(rows)


def test_large_fact_rows_are_streamed_in_pieces_with_the_same_text(monkeypatch, tmp_path):
    """A fact row above LARGE_ROW_BYTES reaches analysis.json and the store in pieces
    (decoded a block at a time, multi-byte characters across blocks included)."""
    from framing import spool
    from framing.facts import align
    from framing.results import EncodedRowPieces
    from framing.store import load_store, save_store

    whole = framing.analyze(FIXTURE / "corpus")
    expected_json = "".join(whole.iter_json())
    monkeypatch.setattr(align, "LARGE_ROW_BYTES", 0)
    monkeypatch.setattr(spool, "_READ_BLOCK", 7)  # splits rows mid-character too
    result = framing.analyze(FIXTURE / "corpus")
    rows = list(dict(result.sections["facts"].iter_items())["facts"])
    assert rows and all(type(row) is EncodedRowPieces and len(list(row)) > 1 for row in rows)
    assert "".join(result.iter_json()) == expected_json
    assert result.sections["facts"].to_dict() == whole.sections["facts"].to_dict()
    stored = load_store(save_store(result, tmp_path / "c.sqlite"))
    assert stored.sections["facts"].to_dict() == whole.sections["facts"].to_dict()


def test_mentions_spooled_to_disk_give_the_same_section(monkeypatch):
    from framing.facts import align

    in_memory = framing.analyze(FIXTURE / "corpus").sections["facts"].to_dict()
    made = []

    class CountedSpool(align.MentionSpool):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(align, "SPOOL_ABOVE", 0)  # as on a corpus too large for memory
    monkeypatch.setattr(align, "MentionSpool", CountedSpool)
    spooled = framing.analyze(FIXTURE / "corpus").sections["facts"].to_dict()
    assert len(made) == 1 and len(made[0]) == spooled["summary"]["mentions"] > 0
    assert spooled == in_memory


def test_linking_shortcut_decides_as_the_full_score():
    import random

    from framing.facts.align import LINK_THRESHOLD, _linked, link_score
    from framing.facts.tfidf import SentenceTfidf

    rng = random.Random(3)
    vocabulary = ["export", "oil", "grain", "budget", "trade", "debt", "wage"]
    actors = ["kz", "ru", "eu", "un"]
    sentences = ["Oil exports rose 12% in March.", "Grain exports fell.", "The budget grew by 5%.",
                 "Oil and grain exports rose in March, officials said.", "Wages rose 12% in March."]
    tfidf = SentenceTfidf(sentences)
    ms = [replace(mention(i, 1.0, event=None, words=rng.sample(vocabulary, rng.randint(1, 3))),
                  entities=frozenset(rng.sample(actors, rng.randint(0, 2))),
                  sentence=rng.choice(sentences)) for i in range(60)]
    for a in ms:
        for b in ms:
            full = link_score(a, b, tfidf.cosine(a.sentence, b.sentence)) >= LINK_THRESHOLD
            assert _linked(a, b, tfidf) is full


@pytest.mark.parametrize("seed, window, n", [(1, 3, 200), (2, 5, 200), (5, 8, 200), (8, 40, 200), (13, 20, 120)])
def test_pairs_met_in_several_blocks_are_yielded_once(seed, window, n):
    import random

    from framing.facts.align import _Blocks, block_keys

    rng = random.Random(seed)
    words = ["oil", "grain", "gas"]  # few words: mentions share two or three blocks, often;
    weights = [8, 3, 1]             # and blocks larger and smaller than the window
    ms = [mention(i, float(rng.randint(0, 12)), event=None, kind=rng.choice(["percent", "number"]),
                  unit=None, article=f"a{rng.randint(0, 60)}",
                  words=rng.choices(words, weights, k=rng.choice([1, 2, 3, 3])))
          for i in range(n)]
    expected = set()
    for key in {key for m in ms for key in block_keys(m)}:
        members = sorted((m for m in ms for k in block_keys(m) if k == key), key=lambda x: (x.low, x.index))
        for i, a in enumerate(members):
            for b in members[i + 1:i + 1 + window] if len(members) > window else members[i + 1:]:
                if a.article != b.article:
                    expected.add((min(a.index, b.index), max(a.index, b.index)))
    blocks = _Blocks(window)
    for m in ms:
        blocks.add(m)
    got = [(min(a.index, b.index), max(a.index, b.index))
           for a, b in blocks.pairs(ms.__getitem__, lambda i: ms[i].low)]
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_each_candidate_pair_is_yielded_once():
    import random
    from collections import defaultdict

    from framing.facts.align import block_keys, iter_candidate_pairs

    rng = random.Random(11)
    words = ["oil", "grain", "gas", "wage"]
    ms = [mention(i, float(rng.randint(0, 30)), event=None, kind="percent", unit="%",
                  article=f"a{rng.randint(0, 40)}",
                  words=[rng.choice(words) for _ in range(rng.choice([0, 1, 1, 2, 3]))])  # repeats too
          for i in range(300)]
    window = 8
    blocks = defaultdict(list)  # the definition, pair by pair
    for m in ms:
        for key in block_keys(m):
            blocks[key].append(m)
    expected = set()
    for members in blocks.values():
        if len(members) > window:
            members = sorted(members, key=lambda x: (x.low, x.index))
            close = [(a, b) for i, a in enumerate(members) for b in members[i + 1:i + 1 + window]]
        else:
            close = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        expected |= {(min(a.index, b.index), max(a.index, b.index))
                     for a, b in close if a.article != b.article}
    got = [(min(a.index, b.index), max(a.index, b.index)) for a, b in iter_candidate_pairs(ms, window)]
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_facts_spilled_to_the_scratch_file_give_the_same_section(monkeypatch):
    from framing.facts import align

    held = framing.analyze(FIXTURE / "corpus").sections["facts"].to_dict()
    monkeypatch.setattr(align, "HELD_MENTIONS", 0)  # every fact's mention JSON goes through the scratch file
    spilled = framing.analyze(FIXTURE / "corpus").sections["facts"].to_dict()
    assert spilled == held and held["facts"]


def test_block_members_keep_their_vectors_and_decide_as_the_full_score():
    import random

    from framing.facts.align import LINK_THRESHOLD, _linked_members, _Member, link_score
    from framing.facts.tfidf import SentenceTfidf

    rng = random.Random(5)
    vocabulary = ["export", "oil", "grain", "budget", "trade"]
    sentences = ["Oil exports rose 12% in March.", "Grain exports fell.", "The budget grew by 5%.",
                 "Oil and grain exports rose in March, officials said.", "Trade fell 3%."]
    tfidf = SentenceTfidf(sentences)
    ms = [replace(mention(i, 1.0, event=None, words=rng.sample(vocabulary, rng.randint(1, 3))),
                  entities=frozenset(rng.sample(["kz", "ru", "eu"], rng.randint(0, 2))),
                  sentence=rng.choice(sentences)) for i in range(40)]
    members = [_Member(m, {}) for m in ms]  # made once, as in a block: vectors kept between pairs
    for x in members:
        for y in members:
            full = link_score(x.mention, y.mention, tfidf.cosine(x.mention.sentence, y.mention.sentence))
            assert _linked_members(x, y, tfidf) is (full >= LINK_THRESHOLD)
    assert any(x.vector is not None for x in members)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1.0, 2.0, 2.5, float("inf"), -3.0]),
                          st.sampled_from([1.0, 2.0, 2.5, float("inf")])), min_size=1, max_size=12),
       st.randoms())
def test_bounds_keep_the_extremes_the_tuple_comparison_kept(intervals, rng):
    from framing.facts.align import _Bounds

    numbers = list(range(len(intervals)))
    rng.shuffle(numbers)  # mentions come in any order of their numbers
    bounds, low, high = _Bounds(), None, None
    for number, interval in zip(numbers, intervals):
        m = mention(number, interval[0], interval[1])
        bounds.add(m, interval)
        # As it was written: the largest (low, -number) and the smallest (high, number).
        if low is None or (interval[0], -number) > (low[0], -low[1].index):
            low = (interval[0], m)
        if high is None or (interval[1], number) < (high[0], high[1].index):
            high = (interval[1], m)
    assert bounds.bounds() == (low, high)
    assert bounds.low[1] is low[1] and bounds.high[1] is high[1]


def test_a_spool_selects_the_mentions_a_list_selects():
    from framing.facts.align import MentionSpool, _selected

    mentions = [mention(i, float(i), words=("w", str(i))) for i in range(40)]
    spool = MentionSpool()
    for m in mentions:
        spool.append(m)
    flags = bytearray(i % 3 != 1 for i in range(40))
    assert list(_selected(spool, flags)) == list(_selected(mentions, flags)) == \
        [m for m in mentions if m.index % 3 != 1]
