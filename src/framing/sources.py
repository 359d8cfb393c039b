"""Read one input file as article text, refusing what is not article text.

Each check raises :class:`InputError` naming the file and saying what to do:
empty, too large, binary, wrongly encoded, or an HTML page saved as .txt.
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

_HTML_START = re.compile(rb"^\s*(<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)
_HTML_TAGS = re.compile(rb"<(p|div|span|a|script|meta|br|li|table)\b[^>]*>", re.IGNORECASE)
#: A control character other than the line and page breaks and tab that text may hold.
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
#: Every byte but those of :data:`_CONTROL_CHAR`: deleting them leaves the control characters.
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL_CHAR.match(chr(b)))
#: Characters looked at for control characters: a binary file shows it at once.
_SNIFF = 8192


def read_bytes_checked(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after size checks that need no decoding."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", str(path)) from None
    if path.is_dir():
        raise InputError("is a folder, expected an article file", str(path))
    if size > max_bytes:
        raise InputError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one "
            "article; split it or raise --max-file-mb", str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", str(path)) from None


def looks_like_html(data: bytes) -> bool:
    """True for a page of markup rather than text that mentions a tag or two."""
    head = data[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 5


def decode_text(data: bytes, where: str, encoding: str = "utf-8") -> str:
    """Decode and validate article text; the result is what offsets refer to."""
    if not data.strip():
        raise InputError("file is empty (no text to analyse)", where)
    if b"\x00" in data[:_SNIFF]:
        raise InputError("file is binary (contains NUL bytes), expected plain text", where)
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding} (bad byte 0x{data[exc.start]:02x} at byte {exc.start}); "
            "convert it to UTF-8 or pass --encoding", where) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", where) from None
    if codec == "utf-8-sig" and len(data) <= _SNIFF:
        # The whole text is looked at, and a control character is one byte in UTF-8 (and
        # such a byte is never part of another character): counted in C, ~30x faster.
        controls = len(data.translate(None, _NOT_CONTROL))
    else:
        controls = len(_CONTROL_CHAR.findall(text, 0, _SNIFF))
    if controls > 0.05 * min(len(text), _SNIFF):
        raise InputError("file looks binary (many control characters), expected plain text", where)
    return text


def read_text_file(path: Path, max_bytes: int, encoding: str = "utf-8") -> str:
    """Read a plain-text article, refusing HTML saved under a text name."""
    data = read_bytes_checked(path, max_bytes)
    if looks_like_html(data):
        raise InputError(
            "looks like an HTML page, not plain text; save it with a .html extension "
            "so framing extracts the article text", str(path))
    return decode_text(data, str(path), encoding)


def read_html_file(path: Path, max_bytes: int, encoding: str = "utf-8") -> str:
    """Extract the main article text of an HTML page with trafilatura."""
    data = read_bytes_checked(path, max_bytes)
    return extract_html_text(decode_text(data, str(path), encoding), str(path))


def extract_html_text(html: str, where: str) -> str:
    import trafilatura  # imported here: slow to import and only HTML input needs it

    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True)
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page", where)
    return text
