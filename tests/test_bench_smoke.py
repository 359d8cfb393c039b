"""A tiny run of the benchmark, and the --jobs equality it relies on.

The benchmark itself (bench/run.py) is not part of the test suite beyond this
smoke run: it checks that the script works end to end on a few articles, not
how fast anything is (speed lives in bench/RESULTS.md).
"""
from __future__ import annotations

import json
import random
import re
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import framing
from framing.corpus import load_corpus
from framing.document import Span
from framing.pipeline import AnalysisConfig
from framing.results import AnalysisResult

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402


def _comparable(result: AnalysisResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True)


def test_span_pickles_with_its_attributes() -> None:
    # Worker processes send spans back to the parent by pickling them.
    span = Span(3, 9, "loaded-term", {"voice": "outlet", "term": "x"})
    copy = pickle.loads(pickle.dumps(span))
    assert copy == span and dict(copy.attrs) == {"voice": "outlet", "term": "x"}
    with pytest.raises(TypeError):
        copy.attrs["voice"] = "quoted"  # still read-only after the round trip


def test_generator_is_deterministic(tmp_path: Path) -> None:
    pool = generate.build_pool()
    a = generate.write_corpus(tmp_path / "a.jsonl", 30, seed=3, pool=pool)
    b = generate.write_corpus(tmp_path / "b.jsonl", 30, seed=3, pool=pool)
    generate.write_corpus(tmp_path / "c.jsonl", 30, seed=4, pool=pool)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (tmp_path / "a.jsonl").read_bytes() != (tmp_path / "c.jsonl").read_bytes()
    assert a["articles"] == 30 and a["pool_digest"] == b["pool_digest"]
    rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert len({r["id"] for r in rows}) == 30 and all(r["text"].strip() for r in rows)


def test_generated_sentences_are_varied_so_that_few_repeat(tmp_path: Path) -> None:
    pool = generate.build_pool()
    sentence = "The minister said the talks in Astana went well."
    varied = generate.vary(random.Random(1), sentence, pool.words)
    changed = [(a, b) for a, b in zip(sentence.split(), varied.split()) if a != b]
    assert len(varied.split()) == len(sentence.split()) and 1 <= len(changed) <= generate.SWAPS
    assert all(a.islower() and len(a) >= 4 for a, _ in changed)
    generate.write_corpus(tmp_path / "v.jsonl", 40, seed=5, pool=pool)
    generate.write_corpus(tmp_path / "b.jsonl", 40, seed=5, pool=pool, verbatim=True)
    repeats = {}
    for name in ("v", "b"):
        texts = [json.loads(line)["text"] for line in (tmp_path / f"{name}.jsonl").read_text().splitlines()]
        sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 40]
        repeats[name] = len(sentences) - len(set(sentences))
    assert repeats["b"] > 200 and repeats["v"] <= repeats["b"] // 20, repeats


def test_jobs_2_gives_the_same_result_as_jobs_1(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    generate.write_corpus(path, 8, seed=11)
    corpus = load_corpus(path)
    one = framing.analyze(corpus, AnalysisConfig(jobs=1))
    two = framing.analyze(corpus, AnalysisConfig(jobs=2))
    assert [d.id for d in two.documents] == [d.id for d in one.documents]
    assert _comparable(two) == _comparable(one)


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "6", "--jobs", "1",
         "--seed-repeat", "0", "--no-nela", "--no-audit", "--out", str(out)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "results.json").read_text())
    [run] = report["runs"]
    assert (run["label"], run["jobs"], run["articles"]) == ("generated 6", 1, 6)
    assert run["articles_per_s"] > 0 and run["rss_mib"]["peak_main"] > 0
    assert run["text_chars"] == report["generated"]["6"]["text_chars"]
    assert "sentences" in run["stage_seconds"] and run["output_bytes"] > 0
    assert "| generated 6 | 6 |" in (out / "results.md").read_text()
    assert (out / "runs" / "corpus-6-s7-j1" / "analysis.json").is_file()
