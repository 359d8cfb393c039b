"""The corpus fact table: one CSV row per mention, so pandas (or a spreadsheet) can read it."""
from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ("fact_id", "description", "status", "event", "slot", "kind", "unit", "outlets",
           "outlet", "original_outlet", "article", "value", "low", "high", "approximate",
           "text", "start", "end", "sentence", "sentence_start", "sentence_end")


def facts_to_rows(section: Any) -> list[dict[str, Any]]:
    """Rows of the fact table from a ``FactsSection`` or its ``to_dict()``."""
    data = section.to_dict() if hasattr(section, "to_dict") else section
    rows = []
    for fact in data["facts"]:
        for m in fact["mentions"]:
            rows.append({
                "fact_id": fact["id"], "description": fact["description"], "status": fact["status"],
                "event": fact["event"] or "", "slot": fact["slot"], "kind": fact["kind"],
                "unit": fact["unit"] or "", "outlets": len(fact["outlets"]),
                "outlet": m["outlet"], "original_outlet": m["original_outlet"] or "",
                "article": m["article"], "value": m["value"],
                "low": "" if m["low"] is None else m["low"],
                "high": "" if m["high"] is None else m["high"],
                "approximate": m["approximate"], "text": m["text"], "start": m["start"],
                "end": m["end"], "sentence": m["sentence"], "sentence_start": m["sentence_start"],
                "sentence_end": m["sentence_end"]})
    return rows


def facts_to_csv(section: Any) -> str:
    """The corpus fact table as CSV text (header + one row per mention, facts in report order)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(facts_to_rows(section))
    return buffer.getvalue()
