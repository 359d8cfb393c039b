"""Write output files so that a failure never leaves a half-written report.

All files of one run are written to temporary names in the target folder
first, then renamed over the old ones; if anything fails before the renames,
the temporaries are removed and the previous good files stay untouched. If a
rename fails part way, the files already renamed are put back from hard-link
backups, so the folder holds the whole old report or the whole new one.
A file's content may be a string, bytes, or an iterable of string or byte chunks
(written as they come, so a large analysis.json is never built in memory); an iterable
with an ``iter_bytes()`` method is written from that.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .errors import OutputError


Content = str | bytes | Iterable[str] | Iterable[bytes]


def check_output_dir(out_dir: Path) -> None:
    """Fail now, before hours of analysis, if ``out_dir`` could not be created or written.

    Creates nothing: a run that fails later must not leave an empty folder behind.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output path exists and is not a folder", str(out_dir))
    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"cannot create output folder: {existing} is a file, not a folder",
                          str(out_dir))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError("output folder is not writable" if existing == out_dir else
                          f"cannot create output folder: {existing} is not writable", str(out_dir))


def ensure_writable_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed and check it can take new files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output path exists and is not a folder", str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder ({exc.strerror})", str(out_dir)) from None
    if not out_dir.is_dir():
        raise OutputError("output path exists and is not a folder", str(out_dir))
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError("output folder is not writable", str(out_dir))
    return out_dir


def _chunks(content: Content) -> Iterator[bytes]:
    if isinstance(content, bytes):
        yield content
    elif isinstance(content, str):
        yield content.encode("utf-8")
    else:
        # Text that can give its pieces as UTF-8 (AnalysisResult.iter_json) is written so.
        iter_bytes = getattr(content, "iter_bytes", None)
        for piece in content if iter_bytes is None else iter_bytes():
            yield piece if isinstance(piece, bytes) else piece.encode("utf-8")


def write_files_atomically(out_dir: Path, files: Mapping[str, Content]) -> list[Path]:
    """Write every ``name -> content`` into ``out_dir``, all or nothing."""
    ensure_writable_dir(out_dir)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            tmp = Path(tmp_name)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                for chunk in _chunks(content):
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
    except BaseException as exc:  # also Ctrl-C or a failing serialiser: leave no temporaries
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write output ({exc.strerror})", str(out_dir)) from None
        raise
    return _rename_all(staged, out_dir)


def _rename_all(staged: list[tuple[Path, Path]], out_dir: Path) -> list[Path]:
    """Rename every temporary over its target; on failure put the old files back."""
    backups: list[tuple[Path, Path | None]] = []  # (target, hard link to its old content)
    try:
        for tmp, target in staged:
            backup = None
            if target.exists():
                backup = target.with_name(f".{target.name}.{os.getpid()}.old")
                backup.unlink(missing_ok=True)
                try:
                    os.link(target, backup)
                except OSError:  # a file system without hard links
                    shutil.copy2(target, backup)
            backups.append((target, backup))
            os.replace(tmp, target)
    except OSError as exc:
        for target, backup in reversed(backups):
            if backup is not None:
                os.replace(backup, target)
            elif target.exists():
                target.unlink()
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write output ({exc.strerror}); the previous files are "
                          "unchanged", str(out_dir)) from None
    for _, backup in backups:
        if backup is not None:
            backup.unlink(missing_ok=True)
    return [target for _, target in staged]
