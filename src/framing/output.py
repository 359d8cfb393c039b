"""Write output files so that a failure never leaves a half-written report.

All files of one run are written to temporary names in the target folder
first, then renamed over the old ones; if anything fails before the renames,
the temporaries are removed and the previous good files stay untouched.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

from .errors import OutputError


def ensure_writable_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed and check it can take new files."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder ({exc.strerror})", str(out_dir)) from None
    if not out_dir.is_dir():
        raise OutputError("output path exists and is not a folder", str(out_dir))
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError("output folder is not writable", str(out_dir))
    return out_dir


def write_files_atomically(out_dir: Path, files: Mapping[str, str | bytes]) -> list[Path]:
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
            data = content.encode("utf-8") if isinstance(content, str) else content
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write output ({exc.strerror})", str(out_dir)) from None
    written = []
    for tmp, target in staged:
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        written.append(target)
    return written
