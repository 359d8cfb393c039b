"""The command line: exit codes, one-line errors, and no output left behind on failure."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from framing import cli
from framing.cli import main

from conftest import SEEDS


def run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_analyze_seeds_writes_schema_and_roundtrips_offsets(tmp_path, capsys):
    code, out, _ = run(["-q", "analyze", str(SEEDS), "--out", str(tmp_path)], capsys)
    assert code == 0
    data = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert data["schema"] == "framing.analysis/1"
    assert len(data["articles"]) == 5
    for article in data["articles"]:
        original = open(article["source"], encoding="utf-8").read()
        spans = [s for key in ("junk", "layout", "body", "sentences") for s in article[key]]
        spans += article["findings"] + [s for group in article["spans"].values() for s in group
                                        if isinstance(s, dict) and "start" in s]
        assert spans
        for span in spans:
            assert original[span["start"]:span["end"]] == span["text"]
        for finding in article["findings"]:
            assert {"category", "text", "start", "end", "voice", "explanation"} <= set(finding)


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty"),
    (b"   \n\n  ", "file is empty"),
    (b"\x00\x01\x02binary\x00data", "file is binary"),
    ("Caf\u00e9 au lait.".encode("latin-1"), "not valid utf-8 (bad byte 0xe9"),
])
def test_bad_article_file_gives_one_line_and_exit_1(tmp_path, capsys, content, message):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad.txt").write_bytes(content)
    out_dir = tmp_path / "out"
    code, _, err = run(["-q", "analyze", str(corpus), "--out", str(out_dir)], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("framing: error E101: ") and "bad.txt" in lines[0]
    assert message in lines[0]
    assert not (out_dir / "analysis.json").exists()


def test_manifest_naming_a_missing_file(tmp_path, capsys):
    (tmp_path / "corpus.toml").write_text('[[articles]]\nfile = "gone.txt"\noutlet = "x"\n')
    code, _, err = run(["-q", "analyze", str(tmp_path), "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert err.strip() == (f"framing: error E102: {tmp_path / 'corpus.toml'}: articles[1]: "
                           "file 'gone.txt' not found next to the manifest")
    assert not (tmp_path / "out").exists()


def test_failed_run_keeps_the_previous_good_output(tmp_path, capsys):
    out_dir = tmp_path / "out"
    assert run(["-q", "analyze", str(SEEDS), "--out", str(out_dir)], capsys)[0] == 0
    before = (out_dir / "analysis.json").read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"")
    assert run(["-q", "analyze", str(bad), "--out", str(out_dir)], capsys)[0] == 1
    assert (out_dir / "analysis.json").read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == ["analysis.json"]


def test_usage_errors_exit_2(capsys):
    assert run([], capsys)[0] == 2
    with pytest.raises(SystemExit) as info:
        main(["analyze"])
    assert info.value.code == 2
    code, _, err = run(["analyze", str(SEEDS), "--out", "/tmp/x", "--jobs", "0"], capsys)
    assert code == 2 and "--jobs must be at least 1" in err


def test_jobs_minus_one_means_one_worker_per_usable_core(monkeypatch):
    monkeypatch.setattr(cli, "usable_cores", lambda: 3)
    args = cli.build_parser().parse_args(["analyze", str(SEEDS), "--out", "x", "--jobs", "-1"])
    assert cli.config_from_args(args).jobs == 3


def test_skip_bad_records_the_article_and_goes_on(tmp_path, capsys):
    (tmp_path / "good_1.txt").write_text("Officials met on Monday. They agreed.\n")
    (tmp_path / "bad_1.txt").write_bytes(b"")
    out_dir = tmp_path / "out"
    code, _, _ = run(["-q", "analyze", str(tmp_path), "--out", str(out_dir), "--skip-bad"], capsys)
    assert code == 0
    data = json.loads((out_dir / "analysis.json").read_text())
    assert [a["id"] for a in data["articles"]] == ["good_1"]
    assert data["skipped"][0]["id"] == "bad_1" and "file is empty" in data["skipped"][0]["error"]


def test_console_script_help():
    result = subprocess.run([sys.executable, "-m", "framing.cli", "--help"],
                            capture_output=True, text=True, check=True)
    assert "analyze" in result.stdout and "Exit codes" in result.stdout


def test_python_dash_m_framing_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "framing", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("framing ")


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_works_before_or_after_the_command(tmp_path, capsys, where):
    folder = tmp_path / "plain"  # no corpus.toml: a warning unless quiet
    folder.mkdir()
    (folder / "wire_a.txt").write_text("The minister spoke on Monday.", encoding="utf-8")
    args = ["analyze", str(folder), "--out", str(tmp_path / "out")]
    code, _, err = run(["-q", *args] if where == "before" else [*args, "-q"], capsys)
    assert code == 0 and "warning" not in err
    code, _, err = run(args, capsys)
    assert code == 0 and "no corpus.toml" in err
