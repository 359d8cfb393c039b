"""The tables framing writes load into pandas as they are (the ecosystem principle)."""
from __future__ import annotations

import json

import pytest

pd = pytest.importorskip("pandas")

from framing.report import write_report  # noqa: E402


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory, seeds_result):
    out = tmp_path_factory.mktemp("report")
    write_report(seeds_result, out)
    return out


def test_fact_table_csv_reads_with_one_row_per_mention(report_dir, seeds_result):
    table = pd.read_csv(report_dir / "facts.csv")
    mentions = sum(len(f["mentions"]) for f in seeds_result.to_dict()["facts"]["facts"])
    assert len(table) == mentions
    assert {"status", "outlet", "article"} <= set(table.columns)
    assert set(table["status"]) <= {"agree", "conflict", "single-source"}


def test_findings_flatten_into_a_frame(report_dir):
    data = json.loads((report_dir / "analysis.json").read_text(encoding="utf-8"))
    findings = pd.json_normalize(data["articles"], record_path="findings", meta=["id", "outlet"])
    assert len(findings) > 0
    assert {"category", "voice", "start", "end", "text", "explanation", "outlet"} <= set(findings.columns)
    assert (findings["end"] > findings["start"]).all()


def test_profile_rates_are_a_long_table(report_dir):
    data = json.loads((report_dir / "analysis.json").read_text(encoding="utf-8"))
    rates = pd.DataFrame(data["profiles"]["rates"])
    assert {"count", "words", "per_1000"} <= set(rates.columns)
    by_outlet = rates[(rates["level"] == "outlet") & (rates["dimension"] == "category")]
    assert set(by_outlet["outlet"]) == {a["outlet"] for a in data["articles"]}
    recomputed = (by_outlet["count"] / by_outlet["words"] * 1000).round(2)
    assert (recomputed - by_outlet["per_1000"].round(2)).abs().max() < 0.011
