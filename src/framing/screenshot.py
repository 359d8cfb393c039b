"""Load a report in headless Chromium: screenshot it, or dump its DOM and console.

Used by the browser test and runnable by hand::

    python -m framing.screenshot reports/report.html reports/report.png [--width 1280 --height 3000]

Needs Debian's ``chromium`` (``apt-get install chromium``). Nothing is fetched from the
network: the report is self-contained and the browser runs with background networking off.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
_BASE_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass(frozen=True)
class BrowserRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def console_lines(self) -> list[str]:
        """Lines Chromium logged from the page's console (errors, warnings, logs)."""
        return [line for line in self.stderr.splitlines() if "CONSOLE" in line]


def run_chromium(html: Path, extra: Sequence[str], timeout: float = 90.0) -> BrowserRun:
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="framing-chromium-") as profile:
        cmd = [chromium, *_BASE_FLAGS, f"--user-data-dir={profile}", *extra,
               html.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "HOME": profile})
    return BrowserRun(proc.returncode, proc.stdout, proc.stderr)


def dump_dom(html: Path) -> BrowserRun:
    """The DOM after the page loaded (stdout), with the browser's log (stderr)."""
    return run_chromium(html, ["--dump-dom"])


def screenshot(html: Path, out: Path, width: int = 1280, height: int = 3000) -> BrowserRun:
    """A PNG of the top ``height`` pixels of the page at ``width``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    run = run_chromium(html, [f"--screenshot={out.resolve()}", f"--window-size={width},{height}",
                              "--hide-scrollbars"])
    if not out.exists():
        raise RuntimeError(f"chromium wrote no screenshot (exit {run.returncode}): {run.stderr[-500:]}")
    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framing.screenshot",
                                     description="Screenshot an HTML report with headless Chromium.")
    parser.add_argument("html", type=Path, help="report.html to load")
    parser.add_argument("out", type=Path, help="PNG to write")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args(argv)
    if not args.html.is_file():
        print(f"framing.screenshot: no such file: {args.html}", file=sys.stderr)
        return 1
    try:
        run = screenshot(args.html, args.out, args.width, args.height)
    except (FileNotFoundError, RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"framing.screenshot: {exc}", file=sys.stderr)
        return 1
    for line in run.console_lines:
        print(line, file=sys.stderr)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
