"""Build benchmark corpora reproducibly from seed and fixture sentences.

A generated corpus is a JSONL table (one article per line: ``id``, ``outlet``,
``title``, ``author``, ``published``, ``kind``, ``text``) that ``framing`` reads
like any user table. Articles are assembled from real sentences of the seed
articles and the test fixtures, with invented outlets, dates and bylines and a
little page furniture, so every stage of the pipeline has work to do. The same
``--seed`` and the same sentence pool give byte-identical files; the pool's hash
is printed and recorded so a figure can be tied to its input.

Each sentence is *varied* as it is placed (two of its lowercase words swapped for
words drawn from the pool's own words), so that, as in a real corpus, almost no
sentence repeats: a pool of a few hundred sentences placed verbatim would repeat
every sentence dozens of times, and any per-sentence cache would look far better
than it is on real news. ``--verbatim`` places them unchanged (the corpora of
earlier benchmark runs).

    python bench/generate.py --articles 1000 --out bench/out/corpus-1000.jsonl
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import re
import sys
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"

# Invented outlets: none of these names is a real publication.
_OUTLET_WORDS = ("steppe", "caspian", "northern", "river", "plain", "harbour", "border", "capital",
                 "valley", "eastern", "western", "central", "coastal", "mountain", "lake", "city")
_OUTLET_KINDS = ("herald", "courier", "review", "monitor", "dispatch", "gazette", "observer",
                 "ledger", "bulletin", "post")
_FIRST = ("Anna", "Boris", "Dana", "Erlan", "Farida", "Gleb", "Hana", "Ilyas", "Jana", "Kairat",
          "Lena", "Marat", "Nurlan", "Olga", "Pavel", "Rustam", "Saule", "Timur", "Zarina", "Yuri")
_LAST = ("Abenova", "Belov", "Chernova", "Dosanov", "Ermekova", "Fedorov", "Gaziz", "Ivanova",
         "Kasymov", "Levina", "Mukanov", "Nurova", "Orlov", "Petrova", "Sadykov", "Tulegenova")
_KINDS = ("news",) * 6 + ("analysis", "opinion", "interview", "reprint")
# Page furniture of the kinds real scrapes carry (cleaning must mark them as junk).
_FURNITURE_TOP = ("Home", "Menu", "Search", "Subscribe", "Log in")
_FURNITURE_BOTTOM = ("Share", "Tweet", "Print", "Comments (3)", "Leave a comment",
                     "All rights reserved.", "Related articles", "Back to top", "12 comments")
#: A lowercase word a variation may swap (not part of a hyphenated or quoted compound).
_SWAPPABLE = re.compile(r"(?<![\w'’-])[a-z]{4,}(?![\w'’-])")
#: Words swapped per sentence: with ~4,000 distinct words, two make a repeat rare.
SWAPS = 2


@dataclass(frozen=True)
class SentencePool:
    sentences: tuple[str, ...]
    titles: tuple[str, ...]
    sources: tuple[str, ...]

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        """Every swappable word of the body sentences, repeats kept: drawn by frequency."""
        return tuple(m.group() for s in self.sentences for m in _SWAPPABLE.finditer(s))

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for s in self.sentences + ("\x00",) + self.titles:
            h.update(s.encode("utf-8") + b"\n")
        return h.hexdigest()[:16]


@functools.lru_cache(maxsize=2)
def build_pool(include_fixtures: bool = True) -> SentencePool:
    """Body sentences and headlines of the seeds (and readable fixture articles).

    framing's own cleaning and sentence splitting pick them, so page junk in
    the sources does not leak into the pool except where we add it on purpose.
    """
    from framing.corpus import load_corpus
    from framing.errors import FramingError
    from framing.pipeline import AnalysisConfig, Pipeline

    # Cleaning and sentences only: no lexicons, corpus stages or measures are needed here.
    pipeline = Pipeline.from_config(AnalysisConfig(extractors=("junk", "layout", "body",
                                                               "sentences")))
    sources = [SEEDS]
    if include_fixtures and FIXTURES.is_dir():
        sources += sorted(p for p in FIXTURES.rglob("*.txt") if p.is_file())
    sentences: list[str] = []
    titles: list[str] = []
    used: list[str] = []
    seen: set[str] = set()
    for source in sources:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                documents = [pipeline(doc) for doc in load_corpus(source).iter_documents()]
        except FramingError:
            continue  # fixtures include deliberately broken files
        used.append(str(source.relative_to(ROOT)))
        for doc in documents:
            for span in doc.sentences:
                text = " ".join(doc.text_of(span).split())
                if len(text) < 25 or text in seen:
                    continue
                seen.add(text)
                (titles if span.attrs.get("block") == "title" else sentences).append(text)
    if len(sentences) < 20:
        raise SystemExit("bench/generate.py: fewer than 20 usable sentences in seeds/ and fixtures/")
    return SentencePool(tuple(sentences), tuple(titles), tuple(used))


def make_outlets(rng: random.Random, count: int) -> list[str]:
    names = sorted({f"{a}-{b}" for a in _OUTLET_WORDS for b in _OUTLET_KINDS})
    return rng.sample(names, min(count, len(names)))


def vary(rng: random.Random, sentence: str, words: tuple[str, ...]) -> str:
    """``sentence`` with :data:`SWAPS` of its lowercase words replaced by words of the pool."""
    found = list(_SWAPPABLE.finditer(sentence))
    if not found or not words:
        return sentence
    picked = sorted(rng.sample(found, min(SWAPS, len(found))), key=lambda m: m.start())
    pieces, at = [], 0
    for m in picked:
        pieces += [sentence[at:m.start()], rng.choice(words)]
        at = m.end()
    return "".join(pieces) + sentence[at:]


def make_article(rng: random.Random, pool: SentencePool, index: int,
                 outlets: list[str], verbatim: bool = False) -> dict[str, str]:
    """One article: headline, optional byline, 4-12 paragraphs, some furniture."""
    outlet = rng.choice(outlets)
    author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    if pool.titles and rng.random() < 0.5:
        title = rng.choice(pool.titles)
    else:
        title = rng.choice(pool.sentences).rstrip(".")[:110]
    published = date(2016, 1, 1) + timedelta(days=rng.randrange(8 * 365))
    lines: list[str] = []
    if rng.random() < 0.2:
        lines.extend(rng.sample(_FURNITURE_TOP, 2))
    lines.append(title)
    if rng.random() < 0.6:
        lines.append(f"By {author}")
    lines.append("")
    for _ in range(rng.randint(4, 12)):
        chosen = [rng.choice(pool.sentences) for _ in range(rng.randint(2, 5))]
        lines.append(" ".join(chosen if verbatim else (vary(rng, s, pool.words) for s in chosen)))
        lines.append("")
    if rng.random() < 0.5:
        lines.extend(rng.sample(_FURNITURE_BOTTOM, rng.randint(1, 3)))
    return {"id": f"gen-{index:06d}", "outlet": outlet, "title": title, "author": author,
            "published": published.isoformat(), "kind": rng.choice(_KINDS),
            "text": "\n".join(lines) + "\n"}


def write_corpus(path: Path, articles: int, seed: int = 7, outlets: int = 24,
                 pool: SentencePool | None = None, verbatim: bool = False) -> dict[str, object]:
    """Write ``articles`` generated articles to ``path`` (JSONL); return a summary."""
    pool = pool or build_pool()
    rng = random.Random(seed)
    outlet_ids = make_outlets(rng, outlets)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    chars = 0
    with tmp.open("w", encoding="utf-8") as handle:
        for i in range(articles):
            article = make_article(rng, pool, i, outlet_ids, verbatim)
            chars += len(article["text"])
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return {"path": str(path), "articles": articles, "seed": seed, "outlets": len(outlet_ids),
            "text_chars": chars, "pool_sentences": len(pool.sentences),
            "pool_titles": len(pool.titles), "pool_digest": pool.digest,
            "pool_sources": len(pool.sources), "verbatim": verbatim}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--outlets", type=int, default=24)
    parser.add_argument("--seeds-only", action="store_true",
                        help="take sentences from seeds/ only (not fixtures/)")
    parser.add_argument("--verbatim", action="store_true",
                        help="place pool sentences unchanged (earlier runs' corpora; most sentences repeat)")
    args = parser.parse_args(argv)
    summary = write_corpus(args.out, args.articles, args.seed, args.outlets,
                           build_pool(include_fixtures=not args.seeds_only), args.verbatim)
    json.dump(summary, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
