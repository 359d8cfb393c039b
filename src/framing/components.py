"""Imports every module that registers an extractor, so the registry is complete."""
from . import cleaning, sentences  # noqa: F401
from . import voice, cues  # noqa: F401  (quotes, scare_quotes, cues)
from . import readability, sourcing, profiles, labelmap  # noqa: F401  (profiles engineer)
from . import facts  # noqa: F401  (facts extractor and corpus stage)
