"""The serif family every printed form uses: Liberation Serif, shipped in reports/fonts/.

Liberation Serif has the metrics of Times New Roman (what the Word output names) and covers
Vietnamese; ReportLab's built-in fonts do not. The TTFs come from Debian's `fonts-liberation2`
package (SIL OFL 1.1, see reports/fonts/LICENSE) and are never loaded from the system, so the PDF
looks the same on every server.

Registration parses four font files, so it happens once per process (`register_fonts()` is
idempotent and thread-safe); a bulk export calls it once in each worker process.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "LiberationSerif"
REGULAR = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
ITALIC = "LiberationSerif-Italic"
BOLD_ITALIC = "LiberationSerif-BoldItalic"
FACE_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
# Run styles of the document model ("" regular, "b", "i", "bi") -> face names.
FACE_BY_STYLE = {"": REGULAR, "b": BOLD, "i": ITALIC, "bi": BOLD_ITALIC}

_lock = threading.Lock()
_registered = False
# Per-face glyph advance widths (1/1000 em) by code point, and the default width, read once.
_metrics: dict[str, tuple[dict[int, float], float]] = {}
# Widths of words already measured, in 1/1000 em: form labels repeat in every document.
_word_widths: dict[tuple[str, str], float] = {}
_WORD_CACHE_LIMIT = 50_000
_CACHED_LENGTH = 80  # labels and words; long user values are measured each time


def register_fonts() -> None:
    """Register the four faces as one family (so <b>/<i> and bold table styles find them); once."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for face, file_name in FACE_FILES.items():
            font = TTFont(face, str(FONT_DIR / file_name))
            pdfmetrics.registerFont(font)
            _metrics[face] = (font.face.charWidths, float(font.face.defaultWidth))
        # FAMILY is also the regular face's name, so <b>/<i> or a bold table style on it finds its faces.
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        _registered = True


def text_width(text: str, face: str, size: float) -> float:
    """Width in points of `text` set in `face` at `size`.

    ReportLab's own stringWidth is pure Python here (no rl_accel); a dictionary of glyph widths plus
    a cache of measured words is several times faster, and the layout measures every word.
    """
    key = (text, face)
    width = _word_widths.get(key)
    if width is None:
        widths, default = _metrics[face]
        width = sum(widths.get(ord(ch), default) for ch in text)
        if len(text) <= _CACHED_LENGTH:
            if len(_word_widths) >= _WORD_CACHE_LIMIT:
                _word_widths.clear()
            _word_widths[key] = width
    return width * size / 1000.0


def char_widths(text: str, face: str, size: float) -> list[float]:
    """The width of each character of `text`, for breaking a word that is wider than a line."""
    widths, default = _metrics[face]
    scale = size / 1000.0
    return [widths.get(ord(ch), default) * scale for ch in text]
