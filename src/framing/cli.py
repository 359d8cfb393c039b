"""The ``framing`` command: parses arguments and calls the Python API, nothing more.

Exit codes: 0 ok, 1 processing error (bad input, unwritable output), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .analysis import analyze
from .errors import EXIT_PROCESSING, EXIT_USAGE, FramingError, UsageError
from .output import check_output_dir, write_files_atomically
from .pipeline import AnalysisConfig

log = logging.getLogger("framing")

Handler = Callable[[argparse.Namespace], int]


def add_verbosity_arguments(parser: argparse.ArgumentParser, after_command: bool = False) -> None:
    """-v and -q, before the command or after it (``framing analyze seeds -q``); given after
    it, they leave out their defaults, which would overwrite what came before the command."""
    default = {"default": argparse.SUPPRESS} if after_command else {}
    parser.add_argument("-v", "--verbose", action="count", help="more log output (-vv for debugging)",
                        **(default or {"default": 0}))
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars or warnings",
                        **default)


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """Input and analysis options shared by every command that reads a corpus (with -v, -q)."""
    add_verbosity_arguments(parser, after_command=True)
    group = parser.add_argument_group("analysis options")
    group.add_argument("--lexicon", action="append", type=Path, default=[], metavar="FILE",
                       help="add a lexicon pack (TOML); repeat for several")
    group.add_argument("--no-default-lexicons", action="store_true",
                       help="use only the packs given with --lexicon")
    group.add_argument("--gazetteer", type=Path, default=None, metavar="FILE",
                       help="actors, places, events and their dates for fact alignment (TOML; "
                            "default: the packaged Russia–Central Asia gazetteer)")
    group.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                       help="analyse with N worker processes (default 1; -1: one per core, "
                            "as scikit-learn's n_jobs)")
    group.add_argument("--encoding", default="utf-8",
                       help="encoding of .txt articles (default utf-8)")
    group.add_argument("--max-file-mb", type=float, default=20.0, metavar="MB",
                       help="refuse article files larger than this (default 20)")
    group.add_argument("--skip-bad", action="store_true",
                       help="record unreadable articles as skipped instead of stopping")


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than exist)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def config_from_args(args: argparse.Namespace) -> AnalysisConfig:
    jobs = usable_cores() if args.jobs == -1 else args.jobs
    if jobs < 1:
        raise UsageError("--jobs must be at least 1, or -1 for one per core")
    if args.max_file_mb <= 0:
        raise UsageError("--max-file-mb must be positive")
    if args.no_default_lexicons and not args.lexicon:
        raise UsageError("--no-default-lexicons needs at least one --lexicon FILE")
    return AnalysisConfig(lexicon_paths=tuple(args.lexicon),
                          use_default_lexicons=not args.no_default_lexicons,
                          jobs=jobs, max_file_bytes=int(args.max_file_mb * 1_000_000),
                          encoding=args.encoding,
                          options={"skip_bad": args.skip_bad,
                                   **({"gazetteer": str(args.gazetteer)} if args.gazetteer else {})})


def run_analyze(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    check_output_dir(args.out)  # before the analysis, not after it
    result = analyze(args.corpus, config, progress=not args.quiet)
    for path in write_files_atomically(args.out, {"analysis.json": result.iter_json()}):
        print(path)
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .report import write_report

    if args.max_articles_shown < 0:
        raise UsageError("--max-articles-shown must be 0 (all) or more")
    config = config_from_args(args)
    check_output_dir(args.out)  # before the analysis, not after it
    result = analyze(args.corpus, config, progress=not args.quiet)
    for path in write_report(result, args.out, title=args.title, store=not args.no_store,
                             max_articles_shown=args.max_articles_shown):
        print(path)
    return 0


def add_report_command(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="analyse a corpus and write the comparison report (HTML, Markdown, JSON)",
        description="Analyse a corpus and write DIR/report.html (one self-contained file: open it "
                    "in any browser, no network needed), DIR/report.md, DIR/analysis.json and "
                    "DIR/corpus.sqlite (the analysed corpus, reused by audit, search and lesson). The "
                    "report compares the outlets: framing profile, label map, shared facts "
                    "(agree / conflict / single source), sourcing, reliability indicators with "
                    "their evidence, and every article with its findings highlighted.",
        epilog="Example: framing report seeds --out reports")
    report.add_argument("corpus", type=Path, metavar="CORPUS")
    report.add_argument("--out", "-o", type=Path, required=True, metavar="DIR",
                        help="output folder (created if missing); files are replaced all or nothing")
    report.add_argument("--title", metavar="TEXT", help="report title (default: from the corpus name)")
    report.add_argument("--max-articles-shown", type=int, default=50, metavar="N",
                        help="show the highlighted text of the first N articles only (default 50; "
                             "0 = all); the others are listed with their figures, and every "
                             "finding stays in report.md and analysis.json")
    report.add_argument("--no-store", action="store_true",
                        help="do not write DIR/corpus.sqlite (the analysed corpus that `framing "
                             "audit/search/lesson` reuse while it is fresh)")
    add_corpus_arguments(report)
    report.set_defaults(handler=run_report)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framing",
        description="Show how news outlets frame the same story and how far they agree on "
                    "the facts. CORPUS is a folder (with corpus.toml, or plain .txt/.html "
                    "files), a corpus.toml, a .csv or .jsonl table, or one article file.",
        epilog="Exit codes: 0 ok, 1 bad input or unwritable output, 2 wrong arguments.")
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    add_verbosity_arguments(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze_parser = commands.add_parser(
        "analyze", help="analyse a corpus and write analysis.json",
        description="Analyse a corpus and write DIR/analysis.json (schema framing.analysis/1): "
                    "per article the kept body, sentences and findings, each with character "
                    "offsets into the original file.")
    analyze_parser.add_argument("corpus", type=Path, metavar="CORPUS")
    analyze_parser.add_argument("--out", "-o", type=Path, required=True, metavar="DIR",
                                help="output folder (created if missing)")
    add_corpus_arguments(analyze_parser)
    analyze_parser.set_defaults(handler=run_analyze)
    add_report_command(commands)
    add_store_commands(commands)
    return parser


# --- store, search, audit, lesson ------------------------------------------------------------

STORE_RULE = ("The analysed corpus is kept in an SQLite store (default reports/corpus.sqlite). "
              "With --corpus, the store is reused only when it is fresh: same article files "
              "(SHA-256), same metadata, same config and lexicons, same framing version and code; "
              "otherwise the corpus is analysed again and the store rewritten.")


def _stored_corpus(args: argparse.Namespace):
    from .store import load_or_analyse, load_store

    if args.corpus is None:
        return load_store(args.store)
    stored = load_or_analyse(args.corpus, config_from_args(args), args.store, progress=not args.quiet)
    if not args.quiet:
        print(f"framing: store {stored.path}: {stored.status}", file=sys.stderr)
    return stored.result


def run_search(args: argparse.Namespace) -> int:
    from .store import format_concordance, search_store

    if args.corpus is not None:
        _stored_corpus(args)
    result = search_store(args.store, args.term, width=args.width, outlet=args.outlet,
                          limit=args.limit)
    if result.method == "like" and not args.quiet:
        print("framing: note: this SQLite has no FTS5; searched with LIKE (slower, same lines)",
              file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    elif result.lines:
        print(format_concordance(result, args.width))
    elif not args.quiet:
        print(f"framing: no uses of {args.term!r}", file=sys.stderr)
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from .audit import audit, parse_thresholds, write_audit

    thresholds = parse_thresholds(args.fail_above)
    published = None
    if args.published:
        from .corpus import parse_published
        try:
            published = parse_published(args.published, "--published")[0]
        except FramingError as exc:
            raise UsageError(exc.message, exc.where) from None
    result = audit(args.articles, args.corpus, outlet=args.outlet, published=published,
                   config=config_from_args(args),
                   store=None if args.no_store else args.store, fail_above=thresholds,
                   progress=not args.quiet)
    if result.store and not args.quiet:
        print(f"framing: store {result.store}: {result.store_status}", file=sys.stderr)
    for path in write_audit(result, args.out):
        print(path)
    for breach in result.breaches:
        print(f"framing: audit failed: {breach.describe()}", file=sys.stderr)
    return EXIT_PROCESSING if result.failed else 0


def run_lesson(args: argparse.Namespace) -> int:
    from .lesson import build_lesson, write_lesson

    if args.items < 1:
        raise UsageError("--items must be at least 1")
    config = config_from_args(args)
    if args.no_store:
        result = analyze(args.corpus, config, progress=not args.quiet)
    else:
        result = _stored_corpus(args)
    lesson = build_lesson(result, seed=args.seed, per_kind=args.items, title=args.title)
    for path in write_lesson(lesson, args.out):
        print(path)
    for kind, why in lesson.missing.items():
        if not args.quiet:
            print(f"framing: note: no {kind} exercise: {why}", file=sys.stderr)
    return 0


def _add_store_arguments(parser: argparse.ArgumentParser, corpus_required: bool) -> None:
    group = parser.add_argument_group("corpus store")
    group.add_argument("--corpus", type=Path, metavar="CORPUS", required=corpus_required,
                       help="the corpus (folder, corpus.toml, .csv, .jsonl); analysed and "
                            "stored unless the store is fresh for it")
    group.add_argument("--store", type=Path, default=Path("reports") / "corpus.sqlite",
                       metavar="FILE", help="SQLite store (default reports/corpus.sqlite)")


def add_store_commands(commands: argparse._SubParsersAction) -> None:
    search = commands.add_parser(
        "search", help="concordance lines: every use of a term, outlet by outlet",
        description="Print every use of TERM in the stored corpus as a concordance line: left "
                    "context, [match], right context, outlet, article id and character offsets "
                    "into the original file. TERM is matched as whole words, case-insensitively; "
                    "end it with * for word beginnings (sanction*). " + STORE_RULE,
        epilog='Example: framing search "coup" --corpus seeds')
    search.add_argument("term", metavar="TERM")
    search.add_argument("--outlet", metavar="ID", help="only this outlet's articles")
    search.add_argument("--limit", type=int, metavar="N", help="at most N lines")
    search.add_argument("--width", type=int, default=40, metavar="CHARS",
                        help="context characters on each side (default 40)")
    search.add_argument("--json", action="store_true", help="print the lines as JSON")
    _add_store_arguments(search, corpus_required=False)
    add_corpus_arguments(search)
    search.set_defaults(handler=run_search)

    audit = commands.add_parser(
        "audit", help="place a new article (or outlet) against an analysed corpus",
        description="Analyse each ARTICLE with the same pipeline and config as the corpus and "
                    "place it against the corpus: percentile of each finding category's rate "
                    "(per 1,000 body words) among corpus articles, the nearest outlets by cue "
                    "profile, its words for known events and actors next to each outlet's, facts "
                    "that agree or conflict with corpus facts, and sourcing. Writes audit.html, "
                    "audit.md and audit.json. " + STORE_RULE,
        epilog="Newsroom CI: framing audit draft.txt --corpus seeds --fail-above loaded-term=5 "
               "exits 1 (and says which) when an article has more than 5 loaded terms per "
               "1,000 words.")
    audit.add_argument("articles", nargs="+", type=Path, metavar="ARTICLE",
                       help="article files (.txt, .html), or a folder/manifest of a new outlet")
    audit.add_argument("--outlet", metavar="NAME", help="the audited articles' outlet name")
    audit.add_argument("--published", metavar="YYYY-MM-DD",
                       help="publication date of the audited files, so relative dates in them "
                            "('tomorrow', 'last year') resolve")
    audit.add_argument("--out", "-o", type=Path, default=Path("reports") / "audit", metavar="DIR",
                       help="output folder (default reports/audit)")
    audit.add_argument("--fail-above", action="append", default=[], metavar="CATEGORY=RATE",
                       help="exit 1 when an article's rate of CATEGORY per 1,000 words is above "
                            "RATE; repeat for several")
    audit.add_argument("--no-store", action="store_true",
                       help="analyse the corpus without reading or writing the store")
    _add_store_arguments(audit, corpus_required=True)
    add_corpus_arguments(audit)
    audit.set_defaults(handler=run_audit)

    lesson = commands.add_parser(
        "lesson", help="a printable worksheet and answer key from real corpus sentences",
        description="Build a worksheet (HTML and Markdown, printable) from real sentences of "
                    "CORPUS: spot-the-loaded-term items, 'same event, different words' pairs, "
                    "quote-or-outlet-voice items and a fact-conflict item, each citing its "
                    "article, outlet and character offsets; and a separate answer key with the "
                    "rationale for every item. The same corpus and --seed give the same "
                    "worksheet. " + STORE_RULE)
    lesson.add_argument("corpus", type=Path, metavar="CORPUS")
    lesson.add_argument("--out", "-o", type=Path, required=True, metavar="DIR",
                        help="output folder: worksheet.html/.md, answers.html/.md, lesson.json")
    lesson.add_argument("--seed", type=int, default=0, help="which items to pick (default 0)")
    lesson.add_argument("--items", type=int, default=4, metavar="N",
                        help="at most N items of each kind (default 4)")
    lesson.add_argument("--title", help="worksheet title")
    lesson.add_argument("--store", type=Path, default=Path("reports") / "corpus.sqlite",
                        metavar="FILE", help="SQLite store (default reports/corpus.sqlite)")
    lesson.add_argument("--no-store", action="store_true",
                        help="analyse the corpus without reading or writing the store")
    add_corpus_arguments(lesson)
    lesson.set_defaults(handler=run_lesson)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.WARNING - 10 * min(args.verbose, 2),
                        format="framing: %(levelname)s: %(message)s")
    held: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore" if args.quiet else "default")
        warnings.showwarning = lambda message, *_args, **_kwargs: held.append(f"framing: warning: {message}")
        try:
            status = args.handler(args)
        except UsageError as exc:
            status = _fail(EXIT_USAGE, f"framing: {exc}")
        except FramingError as exc:
            status = _fail(EXIT_PROCESSING, f"framing: {exc}")
        except KeyboardInterrupt:
            status = _fail(130, "framing: interrupted; no output was changed")
    for line in held:  # after the error line, so that a failure's first line says what is wrong
        print(line, file=sys.stderr)
    return status


def _fail(status: int, line: str) -> int:
    print(line, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
