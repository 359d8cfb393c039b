"""Load a corpus: a manifest, a folder of files, a CSV or JSONL table, or one file.

Loading validates metadata up front (so a typo fails before any analysis) and
reads article text lazily, one document at a time, so analysis can stream.
"""
from __future__ import annotations

import csv
import json
import re
import tomllib
import warnings
import zlib
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Sequence

from .document import ArticleMeta, Document
from .errors import CorpusChangedError, InputError, ManifestError
from .sources import decode_text, extract_html_text, read_html_file, read_text_file
from .spool import LazySequence

MANIFEST_NAME = "corpus.toml"
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
KINDS = {"news", "opinion", "analysis", "interview", "reprint", "press-release", "other"}
_ARTICLE_KEYS = {"id", "file", "outlet", "title", "author", "published", "date_precision",
                 "language", "kind", "url", "original_outlet", "note"}
_OUTLET_KEYS = {"id", "name", "country", "url", "note"}
_TABLE_TEXT_KEYS = ("text", "body", "content")


class CorpusWarning(UserWarning):
    """Something was guessed (an outlet from a file name); the run goes on."""


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    country: str | None = None
    url: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "country": self.country,
                "url": self.url, "note": self.note}


@dataclass(frozen=True, slots=True)
class TableRow:
    """Where one row of a JSONL table is in its file, and which row it is: its metadata and
    text are read again when the article is analysed, so loading holds ~28 bytes a row
    (:class:`TableRows`) instead of its metadata, ~1 KB. The row's checksum tells whether
    what is read again is what was loaded."""

    path: Path
    offset: int
    length: int
    number: int  # its line number
    index: int  # its place among the table's rows, from 1 (the default id counts rows)
    checksum: int  # zlib.crc32 of the row's bytes

    @property
    def source(self) -> str:
        return f"{self.path}: line {self.number}"

    def read(self) -> tuple[ArticleMeta, str]:
        """The row's metadata and text, checked again as when it was loaded.

        A row that is not byte for byte the one loaded stops the run (even a ``skip_bad``
        one): the file changed, so the rows after it may have moved too, and an analysis of
        two versions of a corpus would be neither."""
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            line = handle.read(self.length)
        if zlib.crc32(line) != self.checksum:
            raise CorpusChangedError("the row is not the one loaded: the file changed after it was "
                                     "loaded; run again on the file as it is now", self.source)
        return table_article(self.path, self.index, self.source, self.parse(line))

    def parse(self, line: bytes) -> dict[str, Any]:
        """The row's ``line`` as its JSON object."""
        try:
            # As a whole file is read: utf-8-sig drops a byte order mark at its start.
            row = json.loads(line.decode("utf-8-sig" if self.offset == 0 else "utf-8"))
        except UnicodeDecodeError as exc:
            raise ManifestError(f"JSONL is not UTF-8 (bad byte at {self.offset + exc.start})",
                                str(self.path)) from None
        except json.JSONDecodeError as exc:
            raise ManifestError(f"invalid JSON ({exc.msg} at column {exc.colno})", self.source) from None
        if not isinstance(row, dict):
            raise ManifestError("each line must be a JSON object", self.source)
        return row


class TableRows(LazySequence["ArticleEntry"]):
    """A JSONL table's entries as four numbers a row (offset, length, line number, checksum), each
    entry made when asked: a large table's metadata is not held from loading on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offsets, self._lengths, self._numbers = array("q"), array("q"), array("q")
        self._checksums = array("I")

    def append(self, row: TableRow) -> None:
        if row.path != self.path or row.index != len(self) + 1:
            raise ValueError("rows are appended in order, from this table")
        self._offsets.append(row.offset)
        self._lengths.append(row.length)
        self._numbers.append(row.number)
        self._checksums.append(row.checksum)

    def __len__(self) -> int:
        return len(self._offsets)

    def _item(self, index: int) -> ArticleEntry:
        return ArticleEntry(row=TableRow(self.path, self._offsets[index], self._lengths[index],
                                         self._numbers[index], index + 1, self._checksums[index]))

    def __iter__(self) -> Iterator[ArticleEntry]:
        places = zip(self._offsets, self._lengths, self._numbers, self._checksums)
        for index, (offset, length, number, checksum) in enumerate(places, start=1):
            yield ArticleEntry(row=TableRow(self.path, offset, length, number, index, checksum))


class ArticleEntry:
    """Metadata plus where the text lives: a file, inline text, or a row of a table file.

    An entry of a JSONL row is given no metadata: it reads it from the row when asked (and
    :meth:`load` reads metadata and text at once), so the corpus need not hold it.
    """

    __slots__ = ("_meta", "path", "inline_text", "row")

    def __init__(self, meta: ArticleMeta | None = None, path: Path | None = None,
                 inline_text: str | None = None, row: TableRow | None = None) -> None:
        if meta is None and row is None:
            raise TypeError("an article entry needs its metadata, or the table row holding it")
        self._meta, self.path, self.inline_text, self.row = meta, path, inline_text, row

    @property
    def meta(self) -> ArticleMeta:
        if self._meta is not None:
            return self._meta
        assert self.row is not None
        return self.row.read()[0]

    def meta_and_table_text(self) -> tuple[ArticleMeta, str | None]:
        """The metadata and the text given in a table (inline or in its row; None for an
        article file), a row read once for both; metadata given to the entry (the audit
        renames outlets) wins over its row's."""
        if self.row is None:
            assert self._meta is not None
            return self._meta, self.inline_text
        row_meta, text = self.row.read()
        return self._meta or row_meta, text

    def __repr__(self) -> str:
        where = self.row or self.path or "inline text"
        return f"ArticleEntry({self._meta or 'metadata in the row'}, {where})"

    def with_meta(self, meta: ArticleMeta) -> ArticleEntry:
        """The same article under other metadata (an audit's new id, a fixture's kind)."""
        return ArticleEntry(meta, self.path, self.inline_text, self.row)

    def load(self, max_bytes: int = 20_000_000, encoding: str = "utf-8") -> Document:
        meta, table_text = self.meta_and_table_text()
        if table_text is not None:
            check_inline_size(table_text, max_bytes, meta.source)
            text = decode_inline(table_text, meta)
        elif self.path is not None and self.path.suffix.lower() in HTML_SUFFIXES:
            text = read_html_file(self.path, max_bytes, encoding)
        elif self.path is not None:
            text = read_text_file(self.path, max_bytes, encoding)
        else:
            raise InputError("article has neither a file nor text", meta.source)
        return Document(text=text, meta=meta)


def check_inline_size(text: str, max_bytes: int, where: str) -> None:
    """A table row's text obeys the same one-article limit as a file."""
    if len(text) * 4 <= max_bytes:  # cannot be over: UTF-8 takes at most 4 bytes a character
        return
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise InputError(
            f"article text is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
            "for one article; split it or raise --max-file-mb", where)


def decode_inline(text: str, meta: ArticleMeta) -> str:
    if meta.text_format == "html":
        return extract_html_text(text, meta.source)
    return decode_text(text.encode("utf-8"), meta.source)


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path
    outlets: dict[str, Outlet]
    entries: Sequence[ArticleEntry]  # a tuple, or a JSONL table's TableRows
    topic: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.entries)

    def outlet_names(self) -> dict[str, str]:
        """Outlet id -> the name readers see (reports, explanations)."""
        return {o.id: o.name for o in self.outlets.values()}

    def iter_documents(self, max_bytes: int = 20_000_000,
                       encoding: str = "utf-8") -> Iterator[Document]:
        for entry in self.entries:
            yield entry.load(max_bytes, encoding)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "topic": self.topic, "root": str(self.root),
                "outlets": [o.to_dict() for o in self.outlets.values()],
                "warnings": list(self.warnings)}


def load_corpus(path: str | Path) -> Corpus:
    """Load whatever ``path`` is: folder, corpus.toml, .csv, .jsonl or one article file."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", str(path))
    if path.is_dir():
        manifest = path / MANIFEST_NAME
        return load_manifest(manifest) if manifest.exists() else load_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return load_manifest(path)
    if suffix == ".csv":
        return load_table(path, _iter_csv_rows(path))
    if suffix in (".jsonl", ".ndjson"):
        return load_table(path, _iter_jsonl_rows(path))
    if suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
        return _corpus_of_files(path.parent, [path], name=path.stem)
    raise InputError(
        f"unsupported input type {suffix or '(no extension)'}; give a folder, corpus.toml, "
        ".csv, .jsonl, .txt or .html", str(path))


def outlet_from_filename(path: Path) -> str:
    """``bbc_2022-01-05.txt`` -> ``bbc``: the part before the first underscore."""
    stem = path.stem
    head = re.split(r"_|--", stem, maxsplit=1)[0]
    return head or stem


def load_folder(folder: Path) -> Corpus:
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES)
    if not files:
        raise InputError("folder has no corpus.toml and no .txt or .html articles", str(folder))
    return _corpus_of_files(folder, files, name=folder.name)


def _corpus_of_files(root: Path, files: list[Path], name: str) -> Corpus:
    message = (f"{root}: no {MANIFEST_NAME}; outlet taken from each file name "
               "(the part before the first '_'); write a manifest to name outlets and dates")
    warnings.warn(message, CorpusWarning, stacklevel=3)
    entries, outlets = [], {}
    for path in files:
        outlet = outlet_from_filename(path)
        outlets.setdefault(outlet, Outlet(id=outlet, name=outlet))
        meta = ArticleMeta(id=path.stem, outlet=outlet, source=str(path),
                           text_format="html" if path.suffix.lower() in HTML_SUFFIXES else "text")
        entries.append(ArticleEntry(meta=meta, path=path))
    return Corpus(name=name, root=root, outlets=outlets, entries=tuple(entries),
                  warnings=(message,))


# --- manifest ---------------------------------------------------------------------------

def load_manifest(path: Path) -> Corpus:
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ManifestError("manifest is not UTF-8 text", where) from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"invalid TOML ({exc})", where) from None
    except OSError as exc:
        raise ManifestError(f"cannot read manifest ({exc.strerror})", where) from None
    unknown = set(data) - {"corpus", "outlets", "articles"}
    if unknown:
        raise ManifestError(f"unknown top-level keys {sorted(unknown)}; expected [corpus], "
                            "[[outlets]] and [[articles]]", where)
    info = data.get("corpus", {})
    if not isinstance(info, dict):
        raise ManifestError("[corpus] must be a table", where)
    outlets = _parse_outlets(data.get("outlets", []), where)
    raw_articles = data.get("articles")
    if not isinstance(raw_articles, list) or not raw_articles:
        raise ManifestError("no [[articles]] entries; list one per article file", where)
    entries, seen = [], set()
    for i, raw in enumerate(raw_articles, start=1):
        at = f"{where}: articles[{i}]"
        entry = _parse_article(raw, path.parent, at)
        if entry.meta.id in seen:
            raise ManifestError(f"duplicate article id {entry.meta.id!r}", at)
        seen.add(entry.meta.id)
        if outlets and entry.meta.outlet not in outlets:
            raise ManifestError(f"outlet {entry.meta.outlet!r} is not listed under [[outlets]] "
                                f"(known: {sorted(outlets)})", at)
        if entry.meta.original_outlet and outlets and entry.meta.original_outlet not in outlets:
            raise ManifestError(f"original_outlet {entry.meta.original_outlet!r} is not listed "
                                "under [[outlets]]", at)
        entries.append(entry)
    if not outlets:
        outlets = {e.meta.outlet: Outlet(id=e.meta.outlet, name=e.meta.outlet) for e in entries}
    return Corpus(name=_optional_str(info, "name", where) or path.parent.name,
                  topic=_optional_str(info, "topic", where), root=path.parent,
                  outlets=outlets, entries=tuple(entries))


def _parse_outlets(raw: Any, where: str) -> dict[str, Outlet]:
    if not isinstance(raw, list):
        raise ManifestError("[[outlets]] must be an array of tables", where)
    outlets: dict[str, Outlet] = {}
    for i, item in enumerate(raw, start=1):
        at = f"{where}: outlets[{i}]"
        if not isinstance(item, dict):
            raise ManifestError("each outlet must be a table", at)
        unknown = set(item) - _OUTLET_KEYS
        if unknown:
            raise ManifestError(f"unknown keys {sorted(unknown)}; allowed: {sorted(_OUTLET_KEYS)}", at)
        outlet_id = _required_str(item, "id", at)
        if outlet_id in outlets:
            raise ManifestError(f"duplicate outlet id {outlet_id!r}", at)
        outlets[outlet_id] = Outlet(
            id=outlet_id, name=_optional_str(item, "name", at) or outlet_id,
            country=_optional_str(item, "country", at), url=_optional_str(item, "url", at),
            note=_optional_str(item, "note", at))
    return outlets


def _parse_article(raw: Any, root: Path, at: str) -> ArticleEntry:
    if not isinstance(raw, dict):
        raise ManifestError("each article must be a table", at)
    unknown = set(raw) - _ARTICLE_KEYS
    if unknown:
        raise ManifestError(f"unknown keys {sorted(unknown)}; allowed: {sorted(_ARTICLE_KEYS)}", at)
    file_name = _required_str(raw, "file", at)
    path = (root / file_name).resolve()
    if not path.is_file():
        raise ManifestError(f"file {file_name!r} not found next to the manifest", at)
    published, precision = parse_published(raw.get("published"), at)
    kind = _article_kind(raw, at)
    meta = ArticleMeta(
        id=_optional_str(raw, "id", at) or Path(file_name).stem,
        outlet=_required_str(raw, "outlet", at), source=str(path),
        title=_optional_str(raw, "title", at), author=_optional_str(raw, "author", at),
        published=published,
        date_precision=_optional_str(raw, "date_precision", at) or precision,
        language=_optional_str(raw, "language", at) or "en", kind=kind,
        url=_optional_str(raw, "url", at),
        original_outlet=_optional_str(raw, "original_outlet", at),
        note=_optional_str(raw, "note", at),
        text_format="html" if path.suffix.lower() in HTML_SUFFIXES else "text")
    if meta.date_precision not in ("day", "approximate", "month", "year"):
        raise ManifestError(f"date_precision {meta.date_precision!r} must be day, approximate, "
                            "month or year", at)
    return ArticleEntry(meta=meta, path=path)


def parse_published(value: Any, at: str) -> tuple[date | None, str]:
    """A TOML date or a string YYYY, YYYY-MM or YYYY-MM-DD, with its precision."""
    if value is None or value == "":
        return None, "day"
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
        if m:
            year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
            try:
                parsed = date(year, month, day)
            except ValueError:
                raise ManifestError(f"published {value!r} is not a real date", at) from None
            precision = "day" if m[3] else "month" if m[2] else "year"
            return parsed, precision
    raise ManifestError(f"published must be a date like 2022-11-19 (or 2022-11, 2022), "
                        f"got {value!r}", at)


def _required_str(item: dict[str, Any], key: str, at: str) -> str:
    value = item.get(key)
    if value is None:
        raise ManifestError(f"missing required key {key!r}", at)
    if not isinstance(value, str) or not value.strip():
        raise ManifestError(f"{key!r} must be a non-empty string, got {value!r}", at)
    return value.strip()


def _optional_str(item: dict[str, Any], key: str, at: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ManifestError(f"{key!r} must be a string, got {type(value).__name__} {value!r}", at)
    return value.strip() or None


# --- CSV and JSONL tables ---------------------------------------------------------------

def row_text(row: dict[str, Any]) -> Any:
    """The article text of a table row: the first non-empty text column."""
    return next((row[k] for k in _TABLE_TEXT_KEYS if row.get(k) not in (None, "")), None)


#: ``(row number from 1, where, row, its place in a JSONL file or None)`` per table row.
Rows = Iterator[tuple[int, str, dict[str, Any], TableRow | None]]


def _iter_csv_rows(path: Path) -> Rows:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise ManifestError("CSV has no header row", str(path))
            for index, row in enumerate(reader, start=1):
                # text kept: rows may span lines
                yield index, f"{path}: row {reader.line_num}", row, None
    except UnicodeDecodeError as exc:
        raise ManifestError(f"CSV is not UTF-8 (bad byte at {exc.start})", str(path)) from None
    except csv.Error as exc:
        raise ManifestError(f"malformed CSV ({exc})", str(path)) from None


def _iter_jsonl_rows(path: Path) -> Rows:
    with path.open("rb") as handle:
        offset, number, index = 0, 0, 0
        for physical in handle:
            # Lines as text mode splits them: "\r" and "\r\n" end a line too.
            for line in physical.splitlines(keepends=True) if b"\r" in physical else (physical,):
                number += 1
                start, offset = offset, offset + len(line)
                if not line.strip():
                    continue
                index += 1
                place = TableRow(path, start, len(line), number, index, zlib.crc32(line))
                yield index, place.source, place.parse(line), place


def _article_kind(fields: dict[str, Any], at: str) -> str:
    """An article's ``kind`` (news when it gives none), one of :data:`KINDS`."""
    kind = _optional_str(fields, "kind", at) or "news"
    if kind not in KINDS:
        raise ManifestError(f"kind {kind!r} is not one of {sorted(KINDS)}", at)
    return kind


def table_article(path: Path, index: int, at: str, row: dict[str, Any]) -> tuple[ArticleMeta, str]:
    """The metadata and text of table ``path``'s row number ``index`` (from 1), checked."""
    text = row_text(row)
    if not isinstance(text, str):
        raise ManifestError("missing text (a 'text' column with the article)", at)
    outlet = row.get("outlet")
    if not isinstance(outlet, str) or not outlet.strip():
        raise ManifestError("missing outlet (an 'outlet' column naming the source)", at)
    clean = {k: (str(v) if isinstance(v, (int, float)) and k == "id" else v)
             for k, v in row.items() if v not in (None, "")}
    published, precision = parse_published(clean.get("published", clean.get("date")), at)
    kind = _article_kind(clean, at)
    text_format = "html" if re.match(r"\s*<", text) and "</" in text else "text"
    meta = ArticleMeta(
        id=_optional_str(clean, "id", at) or f"{path.stem}-{index}", outlet=outlet.strip(),
        source=at, title=_optional_str(clean, "title", at),
        author=_optional_str(clean, "author", at), published=published, date_precision=precision,
        language=_optional_str(clean, "language", at) or "en", kind=kind,
        url=_optional_str(clean, "url", at), text_format=text_format)
    return meta, text


def load_table(path: Path, rows: Rows) -> Corpus:
    """Rows with a text column and an outlet column; title, date, url, author optional.

    A JSONL row's metadata and text are not kept: its entry records where the row is and
    reads it again when the article is analysed, so loading a large table holds a few
    numbers a row (:class:`TableRows`).
    """
    entries: list[ArticleEntry] = []
    table = TableRows(path)
    outlets: dict[str, Outlet] = {}
    seen: set[str] = set()
    for index, at, row, place in rows:
        meta, text = table_article(path, index, at, row)
        if meta.id in seen:
            raise ManifestError(f"duplicate article id {meta.id!r}", at)
        seen.add(meta.id)
        outlets.setdefault(meta.outlet, Outlet(id=meta.outlet, name=meta.outlet))
        if place is None:
            entries.append(ArticleEntry(meta=meta, inline_text=text))
        else:
            table.append(place)
    if not entries and not table:
        raise ManifestError("table has no article rows", str(path))
    return Corpus(name=path.stem, root=path.parent, outlets=outlets,
                  entries=table if table else tuple(entries))
