"""Text normalisation shared by models, forms and search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str | None:
    """NFC, trimmed, runs of spaces collapsed; None and blank stay None."""
    if value is None:
        return None
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()
    return text or None


def has_control_chars(value: str) -> bool:
    return bool(_CONTROL.search(value))


def strip_diacritics(value: str) -> str:
    """Vietnamese letters without tone or vowel marks; Đ/đ become D/d (NFD does not decompose them)."""
    decomposed = unicodedata.normalize("NFD", value)
    base = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", base.replace("đ", "d").replace("Đ", "D"))


def search_key(value: str | None) -> str:
    """The stored search form of a name: no diacritics, lower case, single spaces.

    SQLite's lower()/LIKE are ASCII-only, so searching a precomputed column is the only way
    to get the same results on SQLite and PostgreSQL.
    """
    if not value:
        return ""
    return _SPACES.sub(" ", strip_diacritics(value).lower()).strip()
