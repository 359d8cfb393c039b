"""Writing output files: content given as text, bytes or pieces of either."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from framing.output import write_files_atomically


class _Pieces:
    """Text that can also give its pieces as UTF-8, as ``AnalysisResult.iter_json()`` does."""

    def __iter__(self) -> Iterator[str]:
        yield "from the str pieces"

    def iter_bytes(self) -> Iterator[bytes]:
        yield "caf\u00e9 ".encode()
        yield b"bytes"


def test_pieces_that_offer_bytes_are_written_as_bytes(tmp_path: Path) -> None:
    write_files_atomically(tmp_path, {"a.json": _Pieces(), "b.txt": iter(["x", b"y", "\u00e9"])})
    assert (tmp_path / "a.json").read_bytes() == "caf\u00e9 bytes".encode()
    assert (tmp_path / "b.txt").read_bytes() == "xy\u00e9".encode()
