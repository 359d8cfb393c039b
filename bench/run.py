"""Time framing end to end on the seeds and on generated corpora; compare with NELA.

Each measurement runs in a fresh Python process, so its peak memory is its own:
load the corpus, ``framing.analyze`` with every extractor and corpus stage that
is installed when it runs, then write ``analysis.json`` as ``framing analyze``
does. It reports articles/s, MB/s of text, peak resident memory, CPU use (to
see that ``--jobs 2`` uses both cores), per-stage time, and whether ``--jobs N``
gave byte-identical output to ``--jobs 1``.

    python bench/run.py                          # seeds x40, 1k and 10k articles, jobs 1 and 2
    python bench/run.py --sizes 1000,10000,100000 --jobs 1,2
    python bench/run.py --sizes 50 --jobs 1,2 --seed-repeat 2 --no-nela   # smoke run

Figures go to ``bench/out/results.json`` and ``bench/out/results.md`` (a table
to paste into ``bench/RESULTS.md``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tomllib
import warnings
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

#: NELA's figures on this kind of machine, measured apart with its NLTK data supplied by
#: hand (the data is not served by any registry reachable here), on the seeds x40.
NELA_REFERENCE = {"articles_per_s": 1.0, "mb_per_s": 0.007, "peak_rss_mib": 110,
                  "corpus": "seeds x40 (200 articles)",
                  "textstat_0_7_8_alone_articles_per_s": 33}


# --- measuring one run (in its own process) ----------------------------------------------

def _rss_now_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class _TimedExtractor:
    """Wraps an extractor to add up the time spent in it (jobs=1 runs only)."""

    def __init__(self, inner: Any, totals: dict[str, float]) -> None:
        self._inner, self._totals = inner, totals
        self.name, self.requires = inner.name, inner.requires
        self.assigns, self.findings = inner.assigns, inner.findings

    def __call__(self, doc: Any) -> Any:
        t = time.perf_counter()
        try:
            return self._inner(doc)
        finally:
            self._totals[self.name] = self._totals.get(self.name, 0.0) + time.perf_counter() - t


def _instrument(stage_times: dict[str, float], per_document: bool) -> None:
    """Time the corpus stages (and, in one process, every extractor, measure and collector).

    Workers of ``--jobs N`` keep their own timings, so per-document stages are only
    timed with ``jobs == 1``; corpus stages always run in the main process.
    """
    from framing import analysis, components, pipeline  # noqa: F401

    for name, (factory, order) in list(pipeline._REGISTRY.items() if per_document else ()):
        def timed_factory(config: Any, _factory: Any = factory) -> Any:
            return _TimedExtractor(_factory(config), stage_times)
        pipeline._REGISTRY[name] = (timed_factory, order)
    for name, (measure_fn, needs) in list(getattr(pipeline, "_MEASURES", {}).items()
                                          if per_document else ()):
        def timed_measure(doc: Any, _fn: Any = measure_fn, _name: str = f"measure:{name}") -> Any:
            t = time.perf_counter()
            try:
                return _fn(doc)
            finally:
                stage_times[_name] = stage_times.get(_name, 0.0) + time.perf_counter() - t
        pipeline._MEASURES[name] = (timed_measure, needs)
    for name, collect in list(getattr(analysis, "_COLLECTORS", {}).items() if per_document else ()):
        def timed_collect(doc: Any, config: Any, _fn: Any = collect, _name: str = f"collect:{name}") -> Any:
            t = time.perf_counter()
            try:
                return _fn(doc, config)
            finally:
                stage_times[_name] = stage_times.get(_name, 0.0) + time.perf_counter() - t
        analysis._COLLECTORS[name] = timed_collect
    for name, (stage, order) in list(analysis._CORPUS_STAGES.items()):
        def timed_stage(context: Any, *records: Any, _stage: Any = stage, _name: str = name) -> Any:
            t = time.perf_counter()
            try:
                return _stage(context, *records)
            finally:
                stage_times[f"corpus:{_name}"] = time.perf_counter() - t
        analysis._CORPUS_STAGES[name] = (timed_stage, order)


def measure(corpus_path: Path, jobs: int, out_dir: Path, profile: Path | None,
            audit: bool = True) -> dict[str, Any]:
    """Load, analyse and write one corpus; return timings and memory."""
    import framing
    from framing.analysis import analyze
    from framing.corpus import load_corpus
    from framing.output import write_files_atomically
    from framing.pipeline import AnalysisConfig

    warnings.simplefilter("ignore")
    stage_times: dict[str, float] = {}
    _instrument(stage_times, per_document=jobs == 1)
    baseline = _rss_now_mib()
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    corpus = load_corpus(corpus_path)
    t_load = time.perf_counter()
    rss_loaded = _rss_now_mib()
    config = AnalysisConfig(jobs=jobs)
    if profile:
        import cProfile
        profiler = cProfile.Profile()
        result = profiler.runcall(analyze, corpus, config)
        profiler.dump_stats(profile)
    else:
        result = analyze(corpus, config)
    t_analyse = time.perf_counter()
    rss_analysed = _rss_now_mib()
    digest, size = hashlib.sha256(), 0

    def hashed_chunks():  # what `framing analyze` writes, hashed on the way through
        nonlocal size
        for data in result.iter_json().iter_bytes():
            digest.update(data)
            size += len(data)
            yield data
    write_files_atomically(out_dir, {"analysis.json": hashed_chunks()})
    t_write = time.perf_counter()
    peak_analysis = _peak_mib(resource.RUSAGE_SELF)  # before the audit adds its own
    cpu = _cpu_seconds() - cpu0
    chars = text_bytes = findings = sentences = 0
    for doc in result.documents:  # one pass: the documents may be read back from disk
        chars += len(doc.text)
        text_bytes += len(doc.text.encode("utf-8"))
        findings += len(result.findings(doc))
        sentences += len(doc.sentences)
    audit_times = (time_audit(result, corpus_path, config, out_dir) if audit else
                   {"available": False, "note": "not timed in this run"})
    total = t_write - t0
    return {
        "corpus": str(corpus_path), "jobs": jobs, "articles": len(result.documents),
        "skipped": len(result.skipped), "text_chars": chars, "text_mb": text_bytes / 1e6,
        "sentences": sentences, "findings": findings,
        "seconds": {"load": t_load - t0, "analyse": t_analyse - t_load,
                    "write_json": t_write - t_analyse, "total": total},
        "articles_per_s": len(result.documents) / total, "mb_per_s": text_bytes / 1e6 / total,
        "cpu_seconds": cpu, "cores_used": cpu / total,
        "rss_mib": {"baseline": baseline, "after_load": rss_loaded,
                    "after_analyse": rss_analysed, "peak_main": peak_analysis,
                    "peak_with_audit": _peak_mib(resource.RUSAGE_SELF),
                    "peak_worker": _peak_mib(resource.RUSAGE_CHILDREN) if jobs > 1 else None},
        "stage_seconds": dict(sorted(stage_times.items(), key=lambda kv: -kv[1])),
        "sections": sorted(result.sections),
        "extractors": [e for e in _extractor_names()],
        "output_bytes": size, "output_sha256": digest.hexdigest(),
        "audit": audit_times, "framing_version": framing.__version__, "code_sha256": code_digest(),
        "load_average": os.getloadavg(),
    }


def code_digest() -> str:
    """Hash of framing's installed code and data, to tell if it changed between two runs."""
    import framing
    package = Path(framing.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in
                       (".py", ".toml", ".j2", ".html", ".css", ".json")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _extractor_names() -> list[str]:
    from framing.pipeline import registered_extractors
    return registered_extractors()


def time_audit(result: Any, corpus_path: Path, config: Any, out_dir: Path) -> dict[str, Any]:
    """Time auditing one new article against the stored corpus, once ``framing.audit`` exists.

    Writes the store (SQLite) for the analysed corpus, then runs ``framing.audit`` as
    ``framing audit ARTICLE --corpus CORPUS --store STORE`` does: fingerprint the
    corpus, find the store fresh, load it, analyse the article, place it.
    """
    try:
        from framing.audit import audit
        from framing.store import corpus_fingerprint, save_store
    except ImportError:
        return {"available": False, "note": "framing.audit not available in this build"}
    if not result.documents:
        return {"available": True, "note": "no documents to audit"}
    import random
    # A new article (not in the corpus), made the same way as the generated corpora.
    article = generate.make_article(random.Random(99991), generate.build_pool(), 0, ["probe"])
    probe = out_dir.parent / f"{out_dir.name}-audit-probe.txt"
    probe.write_text(article["text"], encoding="utf-8")
    store = out_dir / "corpus.sqlite"
    try:
        t = time.perf_counter()
        save_store(result, store, corpus_fingerprint(result.corpus, config))
        t_store = time.perf_counter() - t
        t = time.perf_counter()
        audited = audit([probe], corpus_path, config=config, store=store)
        t_audit = time.perf_counter() - t
        t = time.perf_counter()
        audit([probe], result, config=config, store=None)
        t_memory = time.perf_counter() - t
    except Exception as exc:  # the API is young: record what happened, do not fail the run
        return {"available": True, "error": f"{type(exc).__name__}: {exc}"}
    return {"available": True, "store_write_seconds": t_store,
            "store_mb": store.stat().st_size / 1e6,
            "audit_from_store_seconds": t_audit,
            "store_status": getattr(audited, "store_status", None),
            "audit_in_memory_seconds": t_memory}


# --- corpora ------------------------------------------------------------------------------

def _toml_value(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def write_seed_repeat(times: int, out: Path) -> Path:
    """A manifest naming each seed article ``times`` times (same files, new ids)."""
    manifest = tomllib.loads((ROOT / "seeds" / "corpus.toml").read_text(encoding="utf-8"))
    folder = out / f"seeds-x{times}"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[corpus]", f'name = "seeds x{times}"', ""]
    for outlet in manifest.get("outlets", []):
        lines.append("[[outlets]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in outlet.items()]
        lines.append("")
    for copy in range(times):
        for article in manifest["articles"]:
            fields = dict(article)
            fields["file"] = str((ROOT / "seeds" / article["file"]).resolve())
            fields["id"] = f"{article.get('id') or Path(article['file']).stem}-{copy:03d}"
            lines.append("[[articles]]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in fields.items()]
            lines.append("")
    (folder / "corpus.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


# --- NELA ---------------------------------------------------------------------------------

_NELA_SCRIPT = r"""
import json, resource, sys, time
from nela_features.nela_features import NELAFeatureExtractor
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nela = NELAFeatureExtractor()
t = time.perf_counter()
for text in texts:
    nela.extract_all(text)
total = time.perf_counter() - t
size = sum(len(x.encode("utf-8")) for x in texts) / 1e6
print(json.dumps({"articles": len(texts), "seconds": total, "articles_per_s": len(texts) / total,
                  "mb_per_s": size / total,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_nela(python: str, corpus: Path, out: Path) -> dict[str, Any]:
    """Run NELA's features on the same articles in ``python`` (a venv where it installs)."""
    from framing.corpus import load_corpus

    texts = out / f"{corpus.name}-texts.jsonl"
    with texts.open("w", encoding="utf-8") as handle:
        for doc in load_corpus(corpus).iter_documents():
            handle.write(json.dumps({"text": doc.text}, ensure_ascii=False) + "\n")
    try:
        proc = subprocess.run([python, "-c", _NELA_SCRIPT, str(texts)], capture_output=True,
                              text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"ran": False, "reason": f"{type(exc).__name__}: {exc}"}
    if proc.returncode != 0:
        last = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
        reason = next((line for line in last if "not found" in line),
                      next((line for line in reversed(last) if "Error" in line),
                           last[-1] if last else f"exit {proc.returncode}"))
        return {"ran": False, "reason": reason}
    return {"ran": True, **json.loads(proc.stdout.strip().splitlines()[-1])}


def find_nela_python(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    probe = subprocess.run([sys.executable, "-c", "import nela_features"], capture_output=True)
    return sys.executable if probe.returncode == 0 else None


# --- the driver ---------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in
                   Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or None
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                           capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "git_commit": commit, "uncommitted_src_changes": bool(dirty), "when": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def run_child(corpus: Path, jobs: int, out: Path, profile: bool, audit: bool) -> dict[str, Any]:
    write_to = out / "runs" / f"{corpus.stem}-j{jobs}"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", str(corpus),
           "--jobs", str(jobs), "--write", str(write_to)]
    if not audit:
        cmd.append("--no-audit")
    if profile:
        cmd += ["--profile-to", str(out / f"profile-{corpus.stem}.pstats")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench: measuring {corpus} with --jobs {jobs} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def scaling(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Seconds per article across generated sizes (flat = linear) at jobs=1."""
    gen = sorted((r for r in rows if r["jobs"] == 1 and r["kind"] == "generated"),
                 key=lambda r: r["articles"])
    if len(gen) < 2:
        return {}
    per = {r["articles"]: r["seconds"]["total"] / r["articles"] for r in gen}
    first, last = gen[0], gen[-1]
    stages: dict[str, float] = {}
    for name, secs in last["stage_seconds"].items():
        before = first["stage_seconds"].get(name)
        if before:
            stages[name] = (secs / last["articles"]) / (before / first["articles"])
    ratio = per[last["articles"]] / per[first["articles"]]
    return {"ms_per_article": {n: round(v * 1000, 3) for n, v in per.items()},
            "ratio_largest_to_smallest": round(ratio, 2),
            "stage_ratio": {k: round(v, 2) for k, v in stages.items()},
            "rss_mib_per_1000_articles": round(
                (last["rss_mib"]["after_analyse"] - first["rss_mib"]["after_analyse"])
                / max(1, last["articles"] - first["articles"]) * 1000, 1),
            "peak_rss_mib_per_1000_articles": round(
                (last["rss_mib"]["peak_main"] - first["rss_mib"]["peak_main"])
                / max(1, last["articles"] - first["articles"]) * 1000, 1)}


def render_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python "
             f"{m['python']}, framing commit {m['git_commit']}"
             f"{' plus uncommitted changes in src/' if m.get('uncommitted_src_changes') else ''}, "
             f"{m['when']}.", "",
             "| corpus | articles | MB text | jobs | seconds (load / analyse / write) | CPU s | "
             "articles/s | MB/s | cores used | peak RSS MiB (main / worker) | same output as jobs 1 |",
             "|---|---:|---:|---:|---|---:|---:|---:|---:|---|---|"]
    for r in report["runs"]:
        s = r["seconds"]
        worker = r["rss_mib"]["peak_worker"]
        memory = f"{r['rss_mib']['peak_main']:.0f}" + (f" / {worker:.0f}" if worker else "")
        lines.append(
            f"| {r['label']} | {r['articles']} | {r['text_mb']:.1f} | {r['jobs']} | "
            f"{s['total']:.1f} ({s['load']:.1f} / {s['analyse']:.1f} / {s['write_json']:.1f}) | "
            f"{r['cpu_seconds']:.1f} | {r['articles_per_s']:.1f} | {r['mb_per_s']:.3f} | "
            f"{r['cores_used']:.2f} | {memory} | {r.get('same_as_jobs1', '—')} |")
    biggest = max((r for r in report["runs"] if r["stage_seconds"]),
                  key=lambda r: (r["jobs"] == 1, r["articles"]), default=None)
    if biggest:
        lines += ["", f"Time per stage, jobs {biggest['jobs']}, {biggest['label']} "
                      f"({biggest['articles']} articles; with jobs > 1 only the corpus stages):",
                  "", "| stage | seconds | share of analyse |", "|---|---:|---:|"]
        for name, secs in biggest["stage_seconds"].items():
            lines.append(f"| {name} | {secs:.2f} | {secs / biggest['seconds']['analyse']:.0%} |")
    if report.get("scaling"):
        sc = report["scaling"]
        lines += ["", f"Scaling (jobs 1): ms per article {sc['ms_per_article']}; largest/smallest "
                      f"= {sc['ratio_largest_to_smallest']} (1.0 = linear). Resident memory after analysis "
                      f"grows {sc['rss_mib_per_1000_articles']} MiB per 1000 articles, the peak "
                      f"(with writing analysis.json) {sc['peak_rss_mib_per_1000_articles']} MiB.",
                  "", "Per-article time of each stage, largest over smallest size (1.0 = linear): "
                  + ", ".join(f"{k} {v}" for k, v in sorted(sc["stage_ratio"].items(),
                                                            key=lambda kv: -kv[1])) + "."]
    audits = [(r, r["audit"]) for r in report["runs"] if r["audit"].get("available")
              or r["audit"].get("note") != "not timed in this run"]
    if any(a.get("available") for _, a in audits):
        lines += ["", "Audit of one new article against the stored corpus (`framing.audit` with "
                      "a fresh SQLite store):", "",
                  "| corpus | store write s | store MB | audit from store s | audit in memory s |",
                  "|---|---:|---:|---:|---:|"]
        for r, a in audits:
            if "audit_from_store_seconds" in a:
                lines.append(f"| {r['label']} | {a['store_write_seconds']:.2f} | {a['store_mb']:.1f} "
                             f"| {a['audit_from_store_seconds']:.2f} | "
                             f"{a['audit_in_memory_seconds']:.2f} |")
            else:
                lines.append(f"| {r['label']} | {a.get('error') or a.get('note')} | | | |")
    elif any(a.get("note") == "framing.audit not available in this build" for _, a in audits):
        lines += ["", "Audit of one article against the stored corpus: not available "
                      "(framing.audit not in this build)."]
    else:
        lines += ["", "Audit: not timed in this run."]
    nela = report["nela"]
    if nela.get("ran"):
        ours = next(r for r in report["runs"] if r["kind"] == "seeds" and r["jobs"] == 1)
        lines += ["", f"NELA on the same articles: {nela['articles_per_s']:.2f} articles/s, "
                      f"{nela['mb_per_s']:.3f} MB/s, {nela['peak_rss_mib']:.0f} MiB; framing is "
                      f"{ours['articles_per_s'] / nela['articles_per_s']:.0f}x faster."]
    else:
        ref = NELA_REFERENCE
        ours = next((r for r in report["runs"] if r["kind"] == "seeds" and r["jobs"] == 1), None)
        ratio = f"; framing jobs 1 is {ours['articles_per_s'] / ref['articles_per_s']:.0f}x " \
                "its reference figure" if ours else ""
        lines += ["", f"NELA did not run here ({nela.get('reason')}). Reference measured apart "
                      f"on this machine kind with its NLTK data supplied: {ref['articles_per_s']} "
                      f"article/s, {ref['mb_per_s']} MB/s, {ref['peak_rss_mib']} MiB on "
                      f"{ref['corpus']}{ratio}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="generated corpus sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--jobs", default="1,2", help="worker counts to time (default 1,2)")
    parser.add_argument("--seed-repeat", type=int, default=40,
                        help="time the seeds repeated this many times (0 to skip; default 40)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--verbatim", action="store_true",
                        help="generated sentences unchanged, so most repeat (the corpora of runs "
                             "before 6 December 2026)")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--nela-python", metavar="PYTHON",
                        help="interpreter of a venv with nela-features installed")
    parser.add_argument("--no-nela", action="store_true", help="skip the NELA comparison")
    parser.add_argument("--no-audit", action="store_true", help="skip the audit timing")
    parser.add_argument("--audit-max", type=int, default=1000, metavar="N",
                        help="time the audit only on corpora of at most N articles (default 1000)")
    parser.add_argument("--profile", action="store_true",
                        help="also save a cProfile of the largest jobs-1 run")
    # Internal: one measurement in this process (the driver starts these).
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(args.measure, int(args.jobs), args.write, args.profile_to,
                                 audit=not args.no_audit)))
        return 0

    started_on = machine()  # the commit being measured, not the one at the end
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    corpora: list[tuple[str, str, Path, int]] = []
    if args.seed_repeat:
        folder = write_seed_repeat(args.seed_repeat, args.out)
        count = len(tomllib.loads((folder / "corpus.toml").read_text(encoding="utf-8"))["articles"])
        corpora.append(("seeds", f"seeds x{args.seed_repeat}", folder, count))
    pool = generate.build_pool()
    generated = {}
    for n in sizes:
        path = args.out / f"corpus-{n}-s{args.seed}{'-verbatim' if args.verbatim else ''}.jsonl"
        generated[n] = generate.write_corpus(path, n, seed=args.seed, pool=pool, verbatim=args.verbatim)
        corpora.append(("generated", f"generated {n}", path, n))

    runs = []
    for kind, label, path, count in corpora:
        first_sha = first_code = None
        audit = count <= args.audit_max
        for j in jobs:
            profile = args.profile and j == 1 and path == corpora[-1][2]
            print(f"bench: {label}, --jobs {j} ...", file=sys.stderr, flush=True)
            # The audit is timed once per corpus, in the run with the first --jobs value.
            row = {"kind": kind, "label": label, **run_child(path, j, args.out, profile,
                                                          audit and not args.no_audit
                                                          and j == jobs[0])}
            if j == jobs[0]:
                first_sha, first_code = row["output_sha256"], row["code_sha256"]
            elif row["code_sha256"] != first_code:
                row["same_as_jobs1"] = "n/a (framing's code changed between the two runs)"
            else:
                row["same_as_jobs1"] = "yes" if row["output_sha256"] == first_sha else "NO"
            runs.append(row)
            print(f"bench:   {row['articles']} articles in {row['seconds']['total']:.2f} s = "
                  f"{row['articles_per_s']:.0f} articles/s, {row['mb_per_s']:.2f} MB/s, "
                  f"peak {row['rss_mib']['peak_main']:.0f} MiB", file=sys.stderr, flush=True)

    nela: dict[str, Any] = {"ran": False, "reason": "skipped (--no-nela)"}
    if not args.no_nela and args.seed_repeat:
        python = find_nela_python(args.nela_python)
        nela = (run_nela(python, corpora[0][2], args.out) if python else
                {"ran": False, "reason": "nela-features is not installed in this interpreter "
                                         "(give --nela-python)"})
    report = {"machine": started_on, "generated": generated, "runs": runs,
              "scaling": scaling(runs), "nela": nela, "nela_reference": NELA_REFERENCE}
    (args.out / "results.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    markdown = render_markdown(report)
    (args.out / "results.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 1 if any(r.get("same_as_jobs1") == "NO" for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
