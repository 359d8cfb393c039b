"""Shared facts: extract fact mentions per sentence, align them across outlets, judge them.

``extract`` registers the "facts" extractor (mentions, not findings); ``align`` registers the
"facts" corpus stage (facts with agree / conflict / single-source status, the outlet agreement
matrix, and each article's internal inconsistencies, found by ``consistency``);
``table.facts_to_csv`` writes the corpus fact table.
"""
from __future__ import annotations

from .align import FactsSection, align_facts
from .entities import Gazetteer, load_gazetteer
from .extract import FactExtractor
from .table import facts_to_csv

__all__ = ["FactExtractor", "FactsSection", "Gazetteer", "align_facts", "facts_to_csv",
           "load_gazetteer"]
