"""Keep an analysed corpus in one SQLite file, so auditing and searching do not re-analyse it.

The store holds every article (its original text, metadata, metrics and all spans),
a compact *summary* per article (what an audit reads of every article, so auditing
against 10,000 stored articles does not rebuild 10,000 documents), one row per sentence with an FTS5 full-text index, one row per finding and per fact
mention (for SQL queries), the corpus-level sections as JSON, and a *fingerprint*:
a hash of the article files, their metadata, the analysis config, the provenance
(lexicon versions and hashes) and framing's own code. A store whose fingerprint
differs from the corpus on disk is stale and is rebuilt, never silently reused.

Writing is atomic: the database is built in a temporary file beside the target and
renamed over it, so a crash never leaves a half-written store.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from . import __version__
from .corpus import ArticleEntry, Corpus, Outlet, load_corpus
from .document import ArticleMeta, Document, Span
from .errors import FramingError, OutputError
from .pipeline import AnalysisConfig
from .results import (AnalysisResult, AttrsMemo, EncodedRow, EncodedRowPieces, Section,
                      SkippedArticle, compact_encoder, encode_string, plain_dict)

STORE_SCHEMA = "framing.store/2"
DEFAULT_STORE = Path("reports") / "corpus.sqlite"
#: Span keys that hold fact mentions (written to the ``facts`` table).
FACT_KEY = "facts"


class StoreError(FramingError):
    """The store file is not a framing store, or is from another schema."""

    code = "E106"


@dataclass(frozen=True)
class StoredSection:
    """A corpus-level section read back from the store: its JSON, as written."""

    data: Any

    def to_dict(self) -> Any:
        return self.data


# --- fingerprint ---------------------------------------------------------------------------

def _package_code_hash() -> str:
    """Hash of framing's own source, lexicons and templates: new code makes old stores stale."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".toml", ".j2", ".html", ".css", ".md") \
                and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _entry_meta_and_hash(entry: ArticleEntry) -> tuple[ArticleMeta, str]:
    """An entry's metadata and the sha256 of its text (a table row is read once for both)."""
    meta, table_text = entry.meta_and_table_text()
    if table_text is not None:
        data = table_text.encode("utf-8")
    else:
        assert entry.path is not None
        try:
            data = entry.path.read_bytes()
        except OSError as exc:
            raise FramingError(f"cannot read article ({exc.strerror})", str(entry.path)) from None
    return meta, hashlib.sha256(data).hexdigest()


def corpus_fingerprint(corpus: Corpus, config: AnalysisConfig) -> str:
    """One hash that changes when any article, its metadata, the config or the code changes."""
    from .analysis import collect_provenance

    provenance = collect_provenance(config)
    provenance.pop("python", None)
    lexicon_files = []
    for path in config.lexicon_paths:
        try:
            lexicon_files.append([str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest()])
        except OSError:
            lexicon_files.append([str(path), None])
    payload = {
        "schema": STORE_SCHEMA, "framing": __version__, "code": _package_code_hash(),
        "provenance": provenance, "lexicon_files": lexicon_files,
        # the corpus folder as an absolute path: "seeds", "seeds/" and /abs/seeds are one corpus
        "corpus": {**corpus.to_dict(), "root": str(Path(corpus.root).resolve())},
        "articles": [[meta.to_dict(), digest] for meta, digest in map(_entry_meta_and_hash, corpus.entries)],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# --- writing -------------------------------------------------------------------------------

_SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE outlets (id TEXT PRIMARY KEY, name TEXT, country TEXT, url TEXT, note TEXT);
CREATE TABLE articles (
    position INTEGER NOT NULL, id TEXT PRIMARY KEY, outlet TEXT NOT NULL, source TEXT,
    title TEXT, published TEXT, kind TEXT, sha256 TEXT NOT NULL, words INTEGER NOT NULL,
    meta_json TEXT NOT NULL, text TEXT NOT NULL, metrics_json TEXT NOT NULL,
    spans_json TEXT NOT NULL);
CREATE TABLE sentences (
    rowid INTEGER PRIMARY KEY, article_id TEXT NOT NULL, outlet TEXT NOT NULL,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE findings (
    article_id TEXT NOT NULL, outlet TEXT NOT NULL, key TEXT NOT NULL, category TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, voice TEXT,
    attrs_json TEXT NOT NULL);
CREATE TABLE facts (
    article_id TEXT NOT NULL, outlet TEXT NOT NULL, label TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, attrs_json TEXT NOT NULL);
CREATE TABLE summaries (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, outlet TEXT NOT NULL, words INTEGER NOT NULL,
    counts_json TEXT NOT NULL, labels_json TEXT NOT NULL, fact_keys_json TEXT NOT NULL);
CREATE TABLE sections (name TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE skipped (id TEXT, source TEXT, error TEXT);
"""
#: Made after the rows are in: one sort per index instead of a B-tree insert per row.
_INDEXES = ("CREATE INDEX findings_by_article ON findings (article_id)",
            "CREATE INDEX sentences_by_article ON sentences (article_id, idx)")
_FTS_SQL = ("CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', "
            "content_rowid='rowid', tokenize='unicode61 remove_diacritics 0')")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def fts5_available() -> bool:
    """Whether this Python's SQLite was built with the FTS5 full-text extension."""
    try:
        with sqlite3.connect(":memory:") as con:
            con.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False


def count_words(doc: Document) -> int:
    """Words in the kept body (what rates per 1,000 words are measured against)."""
    return sum(len(_WORD.findall(doc.text_of(block))) for block in doc.body)


#: ``json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode``, set up once.
_json = compact_encoder(sort_keys=True, default=str)


def _section_pieces(section: Section) -> Iterator[str]:
    """A section as JSON text, in pieces. A section that streams its tables (``iter_items``)
    is encoded row by row, its already encoded rows as they are: the facts of 10,000
    articles built as one tree of dicts first took ~850 MiB."""
    iter_items = getattr(section, "iter_items", None)
    if iter_items is None:
        yield _json(section.to_dict())
        return
    yield "{"
    for i, (key, value) in enumerate(iter_items()):
        yield f"{',' if i else ''}{_json(key)}:"
        if isinstance(value, (list, Iterator)):
            yield "["
            for j, row in enumerate(value):
                if j:
                    yield ","
                if type(row) is EncodedRowPieces:
                    yield from row
                else:
                    yield row if type(row) is EncodedRow else _json(row)
            yield "]"
        else:
            yield _json(value)
    yield "}"


def _insert_section(con: sqlite3.Connection, name: str, section: Section,
                    block: int = 1 << 20) -> None:
    """Store a section's JSON without holding it in Python: encoded to a temporary file
    first, then written into a TEXT cell of that many bytes through SQLite's blob I/O.
    Joined and bound as one string, a section of 10,000 articles (tens of MB) was held
    three or four times over (the pieces, the string, its UTF-8, SQLite's copy)."""
    with tempfile.TemporaryFile(prefix="framing-store-section-") as spill:
        size = 0
        for piece in _section_pieces(section):
            data = piece.encode("utf-8")
            spill.write(data)
            size += len(data)
        row = con.execute("INSERT INTO sections VALUES (?, CAST(zeroblob(?) AS TEXT))",
                          (name, size)).lastrowid
        spill.seek(0)
        with con.blobopen("sections", "json", row) as cell:  # type: ignore[arg-type]
            while data := spill.read(block):
                cell.write(data)


def _spans_json(doc: Document, attrs_json: AttrsMemo[str]) -> str:
    """``_json({key: [[start, end, label, attrs], ...]})`` of every span key, from pieces
    joined once, each span's attributes looked up in the memo's table without a call."""
    table, out = attrs_json.table, ["{"]
    for i, key in enumerate(sorted(doc.spans)):
        out.append(f"{', ' if i else ''}{encode_string(key)}: [")
        sep = ""
        for span in doc.spans[key]:
            attrs = span.attrs
            out.append(f"{sep}[{span.start}, {span.end}, {encode_string(span.label)}, "
                       f"{table.get(id(attrs)) or attrs_json.learn(attrs)}]")
            sep = ", "
        out.append("]")
    out.append("}")
    return "".join(out)


def save_store(result: AnalysisResult, path: str | Path, fingerprint: str | None = None) -> Path:
    """Write ``result`` to an SQLite file at ``path`` (atomically) and return the path.

    ``fingerprint`` is :func:`corpus_fingerprint` of the corpus and config the result
    came from; it is computed when not given.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write the store ({exc.strerror})", str(path)) from None
    tmp = Path(tmp_name)
    try:
        _build(tmp, result, fingerprint)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write the store ({exc})", str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def store_chunks(result: AnalysisResult, fingerprint: str | None = None,
                 size: int = 1 << 20) -> Iterator[bytes]:
    """The SQLite store of ``result`` as byte chunks, for writing together with other files.

    ``framing report`` passes them to :func:`framing.output.write_files_atomically`, so the
    store and the report files are replaced all or nothing. The store is built in a
    temporary file and read back a megabyte at a time (it is about twice the size of the
    text: 760 MB for 10,000 articles), never whole in memory; the file is removed after.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=".framing-store.", suffix=".sqlite")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            _build(tmp, result, fingerprint)
            handle = tmp.open("rb")
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot build the store ({exc})", str(tmp)) from None
        with handle:
            while chunk := handle.read(size):
                yield chunk
    finally:
        tmp.unlink(missing_ok=True)


def _build(path: Path, result: AnalysisResult, fingerprint: str | None) -> None:
    """Write a fresh database at ``path`` (an empty file) holding ``result``.

    Without a rollback journal and without SQLite's syncs: the file is new and private
    until it is renamed, so a crash part way leaves only a temporary to delete, and one
    ``fsync`` at the end makes it durable before the rename (the journal and the syncs
    per commit were more than half the wall time of writing a store).
    """
    if fingerprint is None:
        fingerprint = corpus_fingerprint(result.corpus, result.config)
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        _write(con, result, fingerprint)
        con.commit()
    finally:
        con.close()
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _write(con: sqlite3.Connection, result: AnalysisResult, fingerprint: str) -> None:
    con.executescript(_SCHEMA_SQL)
    fts = fts5_available()
    if fts:
        con.execute(_FTS_SQL)
    meta = {"schema": STORE_SCHEMA, "fingerprint": fingerprint, "fts5": "1" if fts else "0",
            "framing_version": __version__,
            "corpus": _json({k: v for k, v in result.corpus.to_dict().items() if k != "outlets"}),
            "finding_keys": _json(list(result.finding_keys)),
            "config": _json(result.config.to_dict()),
            "provenance": _json(dict(result.provenance))}
    con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    con.executemany("INSERT INTO outlets VALUES (?, ?, ?, ?, ?)",
                    [(o.id, o.name, o.country, o.url, o.note) for o in result.corpus.outlets.values()])
    hashes = {meta.id: digest for meta, digest in map(_entry_meta_and_hash, result.corpus.entries)}
    # One per store write, at the default limit: a spooled document's own mappings are new
    # objects each time it is read, and a table of 50,000 of them held ~60 MiB.
    attrs_json = AttrsMemo(lambda attrs: _json(plain_dict(attrs)))
    for position, doc in enumerate(result.documents):
        m = doc.meta
        con.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (position, m.id, m.outlet, m.source, m.title,
                     m.published.isoformat() if m.published else None, m.kind,
                     hashes.get(m.id, ""), count_words(doc), _json(m.to_dict()), doc.text,
                     _json(doc.metrics), _spans_json(doc, attrs_json)))
        con.executemany(
            'INSERT INTO sentences (article_id, outlet, idx, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [(m.id, m.outlet, i, s.start, s.end, doc.text_of(s)) for i, s in enumerate(doc.sentences)])
        con.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(m.id, m.outlet, key, s.label, s.start, s.end, doc.text_of(s), s.attrs.get("voice"),
              attrs_json(s.attrs)) for key, s in result.findings(doc)])
        con.executemany(
            "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(m.id, m.outlet, s.label, s.start, s.end, doc.text_of(s), attrs_json(s.attrs))
             for s in doc.get(FACT_KEY)])
        con.execute("INSERT INTO summaries VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (position, *_summary_row(summarise_article(doc, result.finding_keys))))
    for name, section in result.sections.items():
        _insert_section(con, name, section)
    con.executemany("INSERT INTO skipped VALUES (?, ?, ?)",
                    [(s.id, s.source, s.error) for s in result.skipped])
    for index in _INDEXES:
        con.execute(index)
    if fts:
        con.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild')")


# --- reading -------------------------------------------------------------------------------

def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StoreError("no store here; run `framing audit` or `framing search --corpus` "
                         "to build one", str(path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = dict(con.execute("SELECT key, value FROM meta"))
    except sqlite3.DatabaseError:
        raise StoreError("not a framing store (not an SQLite file with a meta table)",
                         str(path)) from None
    if rows.get("schema") != STORE_SCHEMA:
        con.close()
        raise StoreError(f"store schema {rows.get('schema')!r} is not {STORE_SCHEMA!r}; "
                         "delete it and let framing rebuild it", str(path))
    return con


def store_info(path: str | Path) -> dict[str, str]:
    """The store's meta table (schema, fingerprint, fts5, config, provenance as JSON text)."""
    con = _connect(Path(path))
    try:
        return dict(con.execute("SELECT key, value FROM meta"))
    finally:
        con.close()


def is_fresh(path: str | Path, corpus: Corpus, config: AnalysisConfig) -> bool:
    """True when the store at ``path`` was built from exactly this corpus, config and code."""
    path = Path(path)
    if not path.is_file():
        return False
    try:
        return store_info(path).get("fingerprint") == corpus_fingerprint(corpus, config)
    except StoreError:
        return False


def load_store(path: str | Path) -> AnalysisResult:
    """Rebuild the :class:`AnalysisResult` saved in the store (sections as stored JSON)."""
    path = Path(path)
    con = _connect(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        corpus_info = json.loads(meta["corpus"])
        outlets = {row[0]: Outlet(*row) for row in con.execute(
            "SELECT id, name, country, url, note FROM outlets ORDER BY rowid")}
        documents = [_document_from_row(*row) for row in con.execute(
            "SELECT meta_json, text, metrics_json, spans_json FROM articles ORDER BY position")]
        entries = [ArticleEntry(meta=doc.meta, path=Path(doc.meta.source)) for doc in documents]
        sections = {name: StoredSection(json.loads(data))
                    for name, data in con.execute("SELECT name, json FROM sections ORDER BY rowid")}
        skipped = tuple(SkippedArticle(*row) for row in con.execute("SELECT id, source, error FROM skipped"))
    finally:
        con.close()
    config = _config_from_json(meta["config"])
    corpus = Corpus(name=corpus_info["name"], root=Path(corpus_info["root"]), outlets=outlets,
                    entries=tuple(entries), topic=corpus_info.get("topic"),
                    warnings=tuple(corpus_info.get("warnings", ())))
    return AnalysisResult(corpus=corpus, documents=tuple(documents),
                          finding_keys=tuple(json.loads(meta["finding_keys"])), config=config,
                          sections=sections, provenance=json.loads(meta["provenance"]),
                          skipped=skipped)


def _config_from_json(text: str) -> AnalysisConfig:
    data = json.loads(text)
    return AnalysisConfig(
        lexicon_paths=tuple(Path(p) for p in data.get("lexicon_paths", [])),
        use_default_lexicons=data.get("use_default_lexicons", True),
        max_file_bytes=data.get("max_file_bytes", 20_000_000),
        encoding=data.get("encoding", "utf-8"),
        extractors=tuple(data["extractors"]) if data.get("extractors") else None,
        options=data.get("options", {}))


def _document_from_row(meta_json: str, text: str, metrics_json: str, spans_json: str,
                       keys: Sequence[str] | None = None) -> Document:
    """The stored document; with ``keys``, holding only the spans of those keys."""
    spans = {key: [Span(s, e, label, attrs) for s, e, label, attrs in items]
             for key, items in json.loads(spans_json).items() if keys is None or key in keys}
    return Document(text=text, meta=_meta_from_dict(json.loads(meta_json)), spans=spans,
                    metrics=json.loads(metrics_json))


def _meta_from_dict(data: Mapping[str, Any]) -> ArticleMeta:
    fields = dict(data)
    if fields.get("published"):
        fields["published"] = date.fromisoformat(fields["published"])
    return ArticleMeta(**fields)


@dataclass(frozen=True)
class StoredCorpus:
    """An analysed corpus and where it came from: ``status`` is reused, created or rebuilt."""

    result: AnalysisResult
    path: Path
    status: str


def load_or_analyse(source: str | Path | Corpus, config: AnalysisConfig | None = None,
                    store: str | Path = DEFAULT_STORE, *, progress: bool = False) -> StoredCorpus:
    """The analysed corpus, from ``store`` when it is fresh, else analysed and stored there.

    Fresh means: same article files (by SHA-256), same metadata, same config, same
    lexicons and same framing code as when the store was written.
    """
    config = config or AnalysisConfig()
    store = Path(store)
    status, result = _refresh(source, config, store, progress)
    return StoredCorpus(load_store(store) if result is None else result, store, status)


def summary_or_analyse(source: str | Path | Corpus, config: AnalysisConfig | None = None,
                       store: str | Path = DEFAULT_STORE, *, progress: bool = False
                       ) -> tuple[CorpusSummary, Path, str]:
    """The :class:`CorpusSummary` of the corpus from ``store`` (analysed and stored first
    unless the store is fresh), with the store's path and status (reused, created, rebuilt)."""
    config = config or AnalysisConfig()
    store = Path(store)
    status, _ = _refresh(source, config, store, progress)
    return read_summary(store), store, status


def _refresh(source: str | Path | Corpus, config: AnalysisConfig, store: Path,
             progress: bool) -> tuple[str, AnalysisResult | None]:
    """Analyse and store the corpus unless ``store`` is fresh for it: the status, and the
    result when it was analysed here (None when the store was reused)."""
    from .analysis import analyze

    corpus = source if isinstance(source, Corpus) else load_corpus(source)
    fingerprint = corpus_fingerprint(corpus, config)
    existed = store.is_file()
    if existed:
        try:
            if store_info(store).get("fingerprint") == fingerprint:
                return "reused", None
        except StoreError:
            pass
    result = analyze(corpus, config, progress=progress)
    save_store(result, store, fingerprint)
    return ("rebuilt" if existed else "created"), result


# --- per-article summaries -----------------------------------------------------------------

@dataclass(frozen=True)
class ArticleSummary:
    """What an audit needs of one corpus article; small enough to hold for every article."""

    id: str
    outlet: str
    #: Words in the kept body (:func:`framing.profiles.body_words`), what rates are per.
    words: int
    #: Counted findings (those starting in the kept body) per (span key, category, voice).
    counts: Mapping[tuple[str, str, str | None], int]
    #: (referent, lexicon term, lowercased wording) of each referent label in the outlet's voice.
    labels: tuple[tuple[str, str, str], ...]
    #: Blocking keys (as JSON text) of the article's alignable fact mentions.
    fact_keys: frozenset[str]


def summarise_article(doc: Document, finding_keys: Sequence[str]) -> ArticleSummary:
    """The :class:`ArticleSummary` of an analysed document."""
    from .labelmap import referent_spans
    from .profiles import body_words, counted_findings

    counts: Counter[tuple[str, str, str | None]] = Counter(
        (key, span.label, span.attrs.get("voice")) for key, span in counted_findings(doc, finding_keys))
    labels = []
    for _, span in referent_spans(doc):
        if str(span.attrs.get("voice") or "unknown") == "outlet":
            text = doc.text_of(span)
            labels.append((str(span.attrs["referent"]), str(span.attrs.get("term") or text.lower()),
                           " ".join(text.lower().split())))
    return ArticleSummary(doc.id, doc.meta.outlet, body_words(doc), dict(counts), tuple(labels),
                          fact_keys(doc))


def fact_keys(doc: Document) -> frozenset[str]:
    """The blocking keys (:func:`framing.facts.align.block_keys`) of the document's alignable
    fact mentions, as JSON text: two articles' mentions can align only if they share one."""
    from .facts.align import block_keys, document_mentions

    return frozenset(_json(list(key)) for m in document_mentions(doc) for key in block_keys(m))


def _summary_row(summary: ArticleSummary) -> tuple[str, str, int, str, str, str]:
    counts = [[key, category, voice, n] for (key, category, voice), n in summary.counts.items()]
    return (summary.id, summary.outlet, summary.words, _json(counts),
            _json([list(label) for label in summary.labels]), _json(sorted(summary.fact_keys)))


def _summary_from_row(article_id: str, outlet: str, words: int, counts_json: str,
                      labels_json: str, fact_keys_json: str) -> ArticleSummary:
    counts = {(key, category, voice): n for key, category, voice, n in json.loads(counts_json)}
    return ArticleSummary(article_id, outlet, words, counts,
                          tuple(tuple(label) for label in json.loads(labels_json)),
                          frozenset(json.loads(fact_keys_json)))


@dataclass(frozen=True)
class CorpusSummary:
    """An analysed corpus as an audit reads it: a summary per article, whole documents on request.

    Built from the store (:func:`read_summary`: only the summaries are read; documents are
    read back one at a time when asked for) or from an in-memory result
    (:func:`summarise_result`), with the same figures either way.
    """

    name: str
    #: Outlet id -> name, in the corpus's order.
    outlets: Mapping[str, str]
    finding_keys: tuple[str, ...]
    config: AnalysisConfig
    provenance: Mapping[str, Any]
    articles: tuple[ArticleSummary, ...]
    #: The documents with these ids, in corpus order, read one at a time; with span keys
    #: given, each holds only the spans of those keys (what the caller reads).
    documents: Callable[[Iterable[str], Sequence[str] | None], Iterator[Document]]
    #: The id of the (last) article whose text is exactly this text, or None.
    article_with_text: Callable[[str], str | None]


def summarise_result(result: AnalysisResult) -> CorpusSummary:
    """The :class:`CorpusSummary` of an analysed result held in memory (or spooled).

    The documents are read once here (a spooled corpus is read back from disk); their
    positions and texts (by SHA-256) are remembered, so asking for a few documents reads
    only those, and finding an article by its text reads none.
    """
    articles, ids_by_text = [], {}
    positions: dict[str, list[int]] = {}
    for position, doc in enumerate(result.documents):
        articles.append(summarise_article(doc, result.finding_keys))
        positions.setdefault(doc.id, []).append(position)
        ids_by_text[_text_digest(doc.text)] = doc.id  # the last article with a text, as before

    def documents(ids: Iterable[str], keys: Sequence[str] | None = None) -> Iterator[Document]:
        wanted = sorted(i for article_id in set(ids) for i in positions.get(article_id, ()))
        return (result.documents[i] for i in wanted)

    def article_with_text(text: str) -> str | None:
        return ids_by_text.get(_text_digest(text))

    return CorpusSummary(
        name=result.corpus.name, outlets=result.corpus.outlet_names(),
        finding_keys=tuple(result.finding_keys), config=result.config,
        provenance=dict(result.provenance), articles=tuple(articles),
        documents=documents, article_with_text=article_with_text)


def _text_digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def read_summary(path: str | Path) -> CorpusSummary:
    """The :class:`CorpusSummary` of the store at ``path``, without reading any document."""
    path = Path(path)
    con = _connect(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        outlets = dict(con.execute("SELECT id, name FROM outlets ORDER BY rowid"))
        articles = tuple(_summary_from_row(*row) for row in con.execute(
            "SELECT id, outlet, words, counts_json, labels_json, fact_keys_json "
            "FROM summaries ORDER BY position"))
    finally:
        con.close()

    def documents(ids: Iterable[str], keys: Sequence[str] | None = None) -> Iterator[Document]:
        wanted = sorted(set(ids))
        con = _connect(path)
        try:
            con.execute("CREATE TEMP TABLE wanted (id TEXT PRIMARY KEY)")
            con.executemany("INSERT INTO wanted VALUES (?)", [(i,) for i in wanted])
            for row in con.execute(
                    "SELECT meta_json, text, metrics_json, spans_json FROM articles "
                    "WHERE id IN (SELECT id FROM wanted) ORDER BY position"):
                yield _document_from_row(*row, keys=keys)
        finally:
            con.close()

    def article_with_text(text: str) -> str | None:
        con = _connect(path)
        try:
            row = con.execute("SELECT id FROM articles WHERE text = ? ORDER BY position DESC LIMIT 1",
                              (text,)).fetchone()
        finally:
            con.close()
        return row[0] if row else None

    return CorpusSummary(
        name=json.loads(meta["corpus"])["name"], outlets=outlets,
        finding_keys=tuple(json.loads(meta["finding_keys"])), config=_config_from_json(meta["config"]),
        provenance=json.loads(meta["provenance"]), articles=articles, documents=documents,
        article_with_text=article_with_text)


# --- search --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConcordanceLine:
    """One use of the search term in context (KWIC), with offsets into the original text."""

    outlet: str
    article_id: str
    start: int
    end: int
    left: str
    match: str
    right: str

    def to_dict(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "article_id": self.article_id, "start": self.start,
                "end": self.end, "left": self.left, "match": self.match, "right": self.right}


@dataclass(frozen=True)
class SearchResult:
    term: str
    lines: tuple[ConcordanceLine, ...]
    #: "fts5", or "like" when this SQLite has no FTS5 (slower, same results).
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "method": self.method,
                "lines": [line.to_dict() for line in self.lines]}


def _term_tokens(term: str) -> tuple[list[str], bool]:
    prefix = term.rstrip().endswith("*")
    tokens = _WORD.findall(term)
    if not tokens:
        raise FramingError(f"search term {term!r} has no words to look for", "search")
    return tokens, prefix


def term_pattern(term: str) -> re.Pattern[str]:
    """Case-insensitive pattern for the words of ``term``; a trailing ``*`` matches prefixes."""
    tokens, prefix = _term_tokens(term)
    body = r"\W+".join(re.escape(t) for t in tokens)
    return re.compile(r"(?<!\w)" + body + (r"\w*" if prefix else r"(?!\w)"), re.IGNORECASE)


def _fts_query(term: str) -> str:
    tokens, prefix = _term_tokens(term)
    return '"' + " ".join(tokens) + '"' + (" *" if prefix else "")


def search_store(path: str | Path, term: str, *, width: int = 40,
                 outlet: str | None = None, limit: int | None = None) -> SearchResult:
    """Every use of ``term`` in the stored sentences, as concordance lines.

    The term is matched as a phrase of whole words, case-insensitively; end it with
    ``*`` to match word beginnings (``sanction*``).
    """
    pattern = term_pattern(term)
    con = _connect(Path(path))
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        where_outlet = " AND s.outlet = ?" if outlet else ""
        extra = [outlet] if outlet else []
        if meta.get("fts5") == "1" and fts5_available():
            method = "fts5"
            rows = con.execute(
                "SELECT s.outlet, s.article_id, s.start, s.text FROM sentences_fts f "
                "JOIN sentences s ON s.rowid = f.rowid WHERE sentences_fts MATCH ?" + where_outlet +
                " ORDER BY s.outlet, s.article_id, s.start", [_fts_query(term), *extra])
        else:
            method = "like"
            first = _term_tokens(term)[0][0]
            rows = con.execute(
                "SELECT s.outlet, s.article_id, s.start, s.text FROM sentences s "
                "WHERE s.text LIKE ?" + where_outlet + " ORDER BY s.outlet, s.article_id, s.start",
                [f"%{first}%", *extra])
        lines = list(_concordance(rows, pattern, width, limit))
    finally:
        con.close()
    return SearchResult(term=term, lines=tuple(lines), method=method)


def _concordance(rows: Iterator[tuple[str, str, int, str]], pattern: re.Pattern[str], width: int,
                 limit: int | None) -> Iterator[ConcordanceLine]:
    count = 0
    for outlet, article_id, start, text in rows:
        for m in pattern.finditer(text):
            if limit is not None and count >= limit:
                return
            left = _SPACE.sub(" ", text[:m.start()])
            right = _SPACE.sub(" ", text[m.end():])
            left = left[-width:] if len(left) > width else left
            right = right[:width] if len(right) > width else right
            yield ConcordanceLine(outlet, article_id, start + m.start(), start + m.end(),
                                  left, m.group(0), right)
            count += 1


def format_concordance(result: SearchResult, width: int = 40) -> str:
    """Aligned KWIC lines: left context, [match], right context, outlet, article, offsets."""
    out = []
    for line in result.lines:
        left, right = line.left[-width:] if width else "", line.right[:width]
        out.append(f"{left:>{width}}[{line.match}]{right:<{width}}  "
                   f"{line.outlet}  {line.article_id}  {line.start}-{line.end}")
    return "\n".join(out)
