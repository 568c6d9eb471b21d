"""Profile values as people read them: names of coded values, dd/mm/yyyy dates, "nay" for open
periods, Vietnamese numbers. Used by the review page and the change view."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from models.dates import format_date, format_pdate
from models.refs import RefLookup
from models.section_registry import Field


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def show(spec: Field, values: dict[str, Any], refs: RefLookup) -> str:
    """One field of a row or profile (`values` holds its columns) as printed text; "" when empty."""
    value = values.get(spec.name)
    t = spec.type
    if t == "address":
        parts = [values.get(f"{spec.name}_{p}") for p in ("detail", "commune")]
        province = refs.name("provinces_2025", values.get(f"{spec.name}_province"))
        text = ", ".join(p for p in [*parts, province] if p)
        legacy = values.get(f"{spec.name}_legacy")
        return f"{text} ({legacy})" if text and legacy else text or (legacy or "")
    if value in (None, "", []):
        return "nay" if spec.name == "to_date" and t == "pdate" else ""
    if t == "date":
        return format_date(_as_date(value))
    if t == "pdate":
        return format_pdate(_as_date(value), values.get(f"{spec.name}_precision"))
    if t == "choice":
        if spec.ref == "ranks":
            rank = refs.rank(value)
            return f"{rank.name} ({value})" if rank else str(value)
        return refs.name(spec.ref or "", value, spec.ref_kind or None) or str(value)
    if t == "multi":
        return "; ".join(refs.name(spec.ref or "", code, spec.ref_kind or None) or code for code in value)
    if t == "enum":
        return (spec.enum or {}).get(value, str(value))
    if t == "bool":
        return "Có" if value else "Không"
    if t == "dec":
        return f"{Decimal(str(value)):.2f}".replace(".", ",")
    if t == "money":
        return f"{int(value):,}".replace(",", ".")
    return str(value)
