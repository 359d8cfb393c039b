"""Errors with stable codes, a place, and a sentence that says what to do.

Every error the command line reports is one of these, printed as one line:
``framing: error E101: seeds/a.txt: file is empty``. Codes never change meaning,
so scripts and issue reports can rely on them.
"""
from __future__ import annotations

#: Exit status for a processing error (bad input, unwritable output).
EXIT_PROCESSING = 1
#: Exit status for a usage error (wrong arguments).
EXIT_USAGE = 2


class FramingError(Exception):
    """Base class: ``code`` is stable, ``where`` names the file (and line or key)."""

    code = "E000"

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message, where)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"error {self.code}: {place}{self.message}"


class InputError(FramingError):
    """An article file cannot be read as article text."""

    code = "E101"


class CorpusChangedError(InputError):
    """An input file changed while it was being analysed: never skipped, even with
    ``--skip-bad``, since what follows may have moved too."""


class ManifestError(FramingError):
    """The corpus manifest (corpus.toml, CSV or JSONL rows) is malformed."""

    code = "E102"


class LexiconError(FramingError):
    """A lexicon file is malformed: bad TOML, a missing field or a bad pattern."""

    code = "E103"


class OutputError(FramingError):
    """The output folder cannot be written."""

    code = "E104"


class PipelineError(FramingError):
    """Components are wired wrongly (a component needs spans nobody assigns)."""

    code = "E105"


class UsageError(FramingError):
    """Arguments that argparse accepted but that do not make sense together."""

    code = "E201"
