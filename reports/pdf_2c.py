"""The 2C form as PDF bytes (ReportLab): `render_pdf(snapshot) -> bytes`. Pure: no session, no request.

Layout follows FORM_2C.md: A4, 2 cm margins, Liberation Serif 12 pt, tables with repeated header
rows, the photo box, the signature block kept on one page, a footer on every page (version,
confirmation date, short hash, "Trang n/N") and a grey diagonal watermark on drafts.

Text is laid out by `TextLines`, a small flowable that wraps runs of plain text itself and shows
them through one PDF text object, and tables by `GridTable`, whose cells are pre-wrapped plain
strings. Nothing typed by a user ever reaches ReportLab's `Paragraph` markup parser, so `<b>`,
`&amp;` or `<font size=80>` print literally by construction (no escaping to forget), and the
layout costs a fraction of what Paragraphs cost (the goal is ≤ 20 ms per form on one core).
Words wider than a line break after "/" or "-", else between characters: they wrap, never overflow.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reports import fonts
from reports.form_2c import (
    BODY_SIZE,
    DRAFT_MARK,
    EMPTY_ROW_MM,
    FOOTER_SIZE,
    FORM_NAME,
    LINE_HEIGHT,
    PAGE_MARGIN_MM,
    PHOTO_CAPTION,
    PHOTO_GAP_MM,
    PHOTO_HEIGHT_MM,
    PHOTO_WIDTH_MM,
    SIGNATURE_SPACE_MM,
    SIGNATURE_SPLIT,
    SPACE_AFTER,
    TABLE_SIZE,
    TEXT_WIDTH_MM,
    Block,
    KeepWithSignature,
    Para,
    Run,
    SignatureBlock,
    TableBlock,
    TopBlock,
    document_title,
    footer_text,
    form_2c,
    page_label,
)
from reports.snapshot import PrintSnapshot

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = PAGE_MARGIN_MM * mm
FRAME_WIDTH = TEXT_WIDTH_MM * mm
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN
CELL_PADDING = 1.5 * mm
GRID_WIDTH = 0.5
KEEP_SLACK = 4.0  # pt added to a keep-with-next chain: rounding must never strand a caption
DOT = "."
# Break opportunities are ASCII blanks only: the form glues a label to its value with NBSP.
_TOKENS = re.compile(r"[ \t\n\r\f\v]+|[^ \t\n\r\f\v]+")
_SOFT_BREAK = re.compile(r"[^/-]*[/-]|[^/-]+")
NBSP = "\u00a0"

# One line: fragments (face, text, x offset) and its width.
Fragment = tuple[str, str, float]


@dataclass
class Line:
    fragments: list[Fragment]
    width: float


# --- wrapping --------------------------------------------------------------------------------------


def _soft_parts(pieces: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """A word cut after each "/" or "-": "tháng/năm" -> "tháng/", "năm" (where a too-wide word breaks first)."""
    parts: list[list[tuple[str, str]]] = [[]]
    for face, text in pieces:
        for chunk in _SOFT_BREAK.findall(text):
            parts[-1].append((face, chunk))
            if chunk[-1] in "/-":
                parts.append([])
    return [p for p in parts if p]


def _char_chunks(pieces: list[tuple[str, str]], width: float, size: float) -> list[list[tuple[str, str]]]:
    """A word wider than a line, cut between characters into line-wide chunks (at least one
    character per chunk, so even an absurdly narrow column makes progress)."""
    chunks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    used = 0.0
    for face, text in pieces:
        start = 0
        for index, w in enumerate(fonts.char_widths(text, face, size)):
            if used > 0 and used + w > width:
                if index > start:
                    current.append((face, text[start:index]))
                chunks.append(current)
                current, used, start = [], 0.0, index
            used += w
        if start < len(text):
            current.append((face, text[start:]))
    if current:
        chunks.append(current)
    return chunks


class _LineBuilder:
    """Greedy line filling for `wrap_runs`: words go on the current line while they fit."""

    def __init__(self, width: float, size: float) -> None:
        self.width = width
        self.size = size
        self.lines: list[Line] = []
        self.current: list[Fragment] = []
        self.used = 0.0
        self.pending_space: list[tuple[str, str]] = []  # spaces kept only if a word follows on this line

    def _append(self, face: str, text: str, w: float) -> None:
        """Add text at the end of the line; neighbouring text of one face becomes one text-show operation."""
        if self.current and self.current[-1][0] == face:
            last_face, last_text, x = self.current[-1]
            self.current[-1] = (last_face, last_text + text, x)
        else:
            self.current.append((face, text, self.used))
        self.used += w

    def finish(self) -> None:
        self.lines.append(Line(self.current, self.used))
        self.current, self.used, self.pending_space = [], 0.0, []

    def space(self, face: str, text: str) -> None:
        if self.current:
            self.pending_space.append((face, text))

    def _width(self, pieces: list[tuple[str, str]]) -> float:
        return sum(fonts.text_width(text, face, self.size) for face, text in pieces)

    def _place(self, pieces: list[tuple[str, str]]) -> None:
        for face, text in pieces:
            self._append(face, text, fonts.text_width(text, face, self.size))

    def word(self, pieces: list[tuple[str, str]]) -> None:
        w = self._width(pieces)
        if self.current and self.used + self._width(self.pending_space) + w > self.width:
            self.finish()
        self._place(self.pending_space)
        self.pending_space = []
        if self.used + w <= self.width:
            self._place(pieces)
            return
        # Wider than a line: break after "/" or "-" where that is enough, else between characters.
        for part in _soft_parts(pieces):
            part_width = self._width(part)
            if self.current and self.used + part_width > self.width:
                self.finish()
            if self.used + part_width <= self.width:
                self._place(part)
                continue
            for number, chunk in enumerate(_char_chunks(part, self.width, self.size)):
                if number:
                    self.finish()
                self._place(chunk)

    def fill(self, face: str) -> None:
        """Dots from here to the right margin (a new line of dots if fewer than 4 would fit)."""
        dot = fonts.text_width(DOT, face, self.size)
        spaces = sum(fonts.text_width(text, f, self.size) for f, text in self.pending_space)
        room = self.width - self.used - spaces
        if room < 4 * dot:
            if self.current:
                self.finish()
            room = self.width
        else:
            for f, text in self.pending_space:
                self._append(f, text, fonts.text_width(text, f, self.size))
        self.pending_space = []
        count = int(room / dot)
        self._append(face, DOT * count, count * dot)


def _single_line(runs: Sequence[Run], width: float, size: float) -> list[Line] | None:
    """The common case, one short line, without cutting the text into words (or None)."""
    fragments: list[Fragment] = []
    used = 0.0
    fill_face = None
    for run in runs:
        face = fonts.FACE_BY_STYLE[run.style]
        if run.fill:
            if fill_face is not None:
                return None
            fill_face = face
            continue
        if "\n" in run.text or fill_face is not None:
            return None
        fragments.append((face, run.text, used))
        used += fonts.text_width(run.text, face, size)
        if used > width:
            return None
    if fill_face is not None:
        dot = fonts.text_width(DOT, fill_face, size)
        count = int((width - used) / dot)
        if count < 4:
            return None
        fragments.append((fill_face, DOT * count, used))
        used += count * dot
    return [Line(fragments, used)]


def wrap_runs(runs: Sequence[Run], width: float, size: float) -> list[Line]:
    """Greedy line breaking at spaces; user line breaks kept; words wider than a line broken."""
    single = _single_line(runs, width, size)
    if single is not None:
        return single
    builder = _LineBuilder(width, size)
    word: list[tuple[str, str]] = []

    def flush_word() -> None:
        if word:
            builder.word(list(word))
            word.clear()

    for run in runs:
        face = fonts.FACE_BY_STYLE[run.style]
        if run.fill:
            flush_word()
            builder.fill(face)
            continue
        for number, segment in enumerate(run.text.split("\n")):
            if number:
                flush_word()
                builder.finish()
            for token in _TOKENS.findall(segment):
                if token[0].isspace():
                    flush_word()
                    builder.space(face, token)
                else:
                    word.append((face, token))
    flush_word()
    if builder.current or not builder.lines:
        builder.finish()
    return builder.lines


# --- flowables ---------------------------------------------------------------------------------------


class TextLines(Flowable):
    """A paragraph of plain runs: wrapped by `wrap_runs`, split between lines across pages."""

    def __init__(self, para: Para, lines: list[Line] | None = None, width: float | None = None) -> None:
        """`lines` given: a part of a paragraph already cut into lines (by a page split), never re-wrapped."""
        super().__init__()
        self.fixed = lines is not None
        self.para = para
        self.size = para.size
        self.leading = para.size * LINE_HEIGHT
        self.spaceAfter = para.space_after
        self.spaceBefore = para.space_before
        self._lines = lines
        self._lines_width = width

    def lines_for(self, width: float) -> list[Line]:
        if self._lines is None or (self._lines_width != width and not self.fixed):
            self._lines = wrap_runs(self.para.runs, width, self.size)
            self._lines_width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = len(self.lines_for(availWidth)) * self.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self.lines_for(availWidth)
        fit = int(availHeight // self.leading)
        if fit <= 0 or fit >= len(lines):
            return [] if fit <= 0 else [self]
        return [self.part(lines[:fit], availWidth, last=False), self.part(lines[fit:], availWidth, last=True)]

    def part(self, lines: list[Line], width: float, *, last: bool) -> TextLines:
        piece = TextLines(self.para, lines, width)
        if not last:
            piece.spaceAfter = 0
        else:
            piece.spaceBefore = 0
        return piece

    def draw(self) -> None:
        """One text object for the whole paragraph: `drawString` would re-measure every string."""
        canvas = self.canv
        size, leading = self.size, self.leading
        align = self.para.align
        baseline = self.height - (leading + size * 0.7) / 2 - size * 0.15
        text_object = canvas.beginText()
        face_now = None
        for line in self._lines or ():
            if align == "center":
                shift = (self.width - line.width) / 2
            elif align == "right":
                shift = self.width - line.width
            else:
                shift = 0.0
            for face, text, x in line.fragments:
                if face != face_now:
                    text_object.setFont(face, size)
                    face_now = face
                text_object.setTextOrigin(shift + x, baseline)
                text_object.textLine(text.replace(NBSP, " ") if NBSP in text else text)
            baseline -= leading
        canvas.drawText(text_object)


class PhotoBox(Flowable):
    """The 40 x 60 mm box: the photo scaled to cover it and centre-cropped, else "Ảnh màu"."""

    def __init__(self, photo: bytes | None) -> None:
        super().__init__()
        self.width, self.height = PHOTO_WIDTH_MM * mm, PHOTO_HEIGHT_MM * mm
        self.image = _image(photo)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        w, h = self.width, self.height
        if self.image is not None:
            reader, (iw, ih) = self.image
            scale = max(w / iw, h / ih)
            dw, dh = iw * scale, ih * scale
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(0, 0, w, h)
            canvas.clipPath(path, stroke=0, fill=0)
            canvas.drawImage(reader, (w - dw) / 2, (h - dh) / 2, dw, dh)
            canvas.restoreState()
        else:
            canvas.setFont(fonts.BOLD, BODY_SIZE)
            canvas.drawCentredString(w / 2, h / 2 + 2, PHOTO_CAPTION[0])
            canvas.setFont(fonts.REGULAR, BODY_SIZE)
            canvas.drawCentredString(w / 2, h / 2 - BODY_SIZE * LINE_HEIGHT + 2, PHOTO_CAPTION[1])
        canvas.setLineWidth(GRID_WIDTH)
        canvas.rect(0, 0, w, h, stroke=1, fill=0)


def _image(photo: bytes | None) -> tuple[ImageReader, tuple[int, int]] | None:
    """The photo as an ImageReader (JPEG bytes are embedded as they are), or None if unreadable."""
    if not photo:
        return None
    try:
        reader = ImageReader(io.BytesIO(photo))
        width, height = reader.getSize()
    except Exception:  # a damaged file must not stop the form from printing: the empty box shows
        return None
    if width <= 0 or height <= 0:
        return None
    return reader, (width, height)


# --- tables ---------------------------------------------------------------------------------------------


# A cell: its lines, each with its width (to centre it without measuring again).
CellLines = list[tuple[str, float]]


def _cell_lines(text: str, width: float, face: str) -> CellLines:
    if not text:
        return []
    lines = wrap_runs((Run(text, "b" if face == fonts.BOLD else ""),), width, TABLE_SIZE)
    return [("".join(fragment[1] for fragment in line.fragments), line.width) for line in lines]


class GridTable(Flowable):
    """A bordered table of pre-wrapped plain text whose header row repeats on every page it spans.

    ReportLab's Table does the same job, but measures every string again while drawing and draws
    each grid segment on its own; this one reuses the widths found while wrapping and draws the
    grid as one path, which halves the cost of a form. Rows are never split: a row taller than a
    page was already cut into several rows when the table was built.
    """

    def __init__(
        self,
        widths: list[float],
        aligns: list[str],
        header: list[CellLines],
        rows: list[list[CellLines]],
        heights: list[float],
    ) -> None:
        super().__init__()
        self.widths = widths
        self.aligns = aligns
        self.header = header
        self.rows = rows
        self.heights = heights
        self.leading = TABLE_SIZE * LINE_HEIGHT
        self.header_height = max((len(c) for c in header), default=1) * self.leading + 2 * CELL_PADDING
        self.spaceAfter = SPACE_AFTER

    @property
    def head_height(self) -> float:
        """The header plus the first row: what must not be left alone at the foot of a page."""
        return self.header_height + (self.heights[0] if self.heights else 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        room = availHeight - self.header_height
        count, used = 0, 0.0
        for height in self.heights:
            if used + height > room:
                break
            used += height
            count += 1
        if count == 0 or count == len(self.rows):
            return []
        first = GridTable(self.widths, self.aligns, self.header, self.rows[:count], self.heights[:count])
        first.spaceAfter = 0
        rest = GridTable(self.widths, self.aligns, self.header, self.rows[count:], self.heights[count:])
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        leading, pad = self.leading, CELL_PADDING
        lefts = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        text = canvas.beginText()
        # Header: bold, centred both ways.
        top = self.height
        text.setFont(fonts.BOLD, TABLE_SIZE)
        for index, cell in enumerate(self.header):
            block = len(cell) * leading
            y = top - (self.header_height - block) / 2 - leading + (leading - TABLE_SIZE) / 2 + TABLE_SIZE * 0.22
            for line, width in cell:
                text.setTextOrigin(lefts[index] + (self.widths[index] - width) / 2, y)
                text.textLine(line)
                y -= leading
        ys = [top, top - self.header_height]
        text.setFont(fonts.REGULAR, TABLE_SIZE)
        top -= self.header_height
        for row, height in zip(self.rows, self.heights, strict=True):
            for index, cell in enumerate(row):
                y = top - pad - leading + (leading - TABLE_SIZE) / 2 + TABLE_SIZE * 0.22
                align = self.aligns[index]
                for line, width in cell:
                    if align == "center":
                        x = lefts[index] + (self.widths[index] - width) / 2
                    elif align == "right":
                        x = lefts[index + 1] - pad - width
                    else:
                        x = lefts[index] + pad
                    text.setTextOrigin(x, y)
                    text.textLine(line)
                    y -= leading
            top -= height
            ys.append(top)
        canvas.drawText(text)
        canvas.setLineWidth(GRID_WIDTH)
        segments: list[tuple[float, float, float, float]] = [(0.0, y, self.width, y) for y in ys]
        segments += [(x, self.height, x, ys[-1]) for x in lefts]
        canvas.lines(segments)


def _table(block: TableBlock) -> GridTable:
    """A 2C table with its cells wrapped to their columns."""
    leading = TABLE_SIZE * LINE_HEIGHT
    widths = [c.width_mm * mm for c in block.columns]
    inner = [w - 2 * CELL_PADDING for w in widths]
    header = [_cell_lines(c.header, inner[i], fonts.BOLD) for i, c in enumerate(block.columns)]
    header_height = max(len(h) for h in header) * leading + 2 * CELL_PADDING
    rows: list[list[CellLines]] = []
    heights: list[float] = []
    # A row taller than a page is cut into several rows, so that no row is ever lost or overflows.
    # (Room is left for the heading and caption that stay with the table's first row.)
    room = FRAME_HEIGHT - header_height - 2 * CELL_PADDING - 4 * BODY_SIZE * LINE_HEIGHT
    max_lines = max(1, int(room // leading))
    for row in block.rows:
        cells = [_cell_lines(text, inner[i], fonts.REGULAR) for i, text in enumerate(row)]
        tallest = max(1, max(len(c) for c in cells))
        for start in range(0, tallest, max_lines):
            part = [c[start : start + max_lines] for c in cells]
            rows.append(part)
            heights.append(max(1, max(len(c) for c in part)) * leading + 2 * CELL_PADDING)
    if not block.rows:
        rows.append([[] for _ in widths])
        heights.append(EMPTY_ROW_MM * mm)
    return GridTable(widths, [c.align for c in block.columns], header, rows, heights)


# --- blocks ------------------------------------------------------------------------------------------------


def _text_height(para: Para, width: float) -> float:
    return len(wrap_runs(para.runs, width, para.size)) * para.size * LINE_HEIGHT + para.space_after


def _top(block: TopBlock) -> list[Flowable]:
    """Photo | gap | title and items 1)–5); if those items are too long to sit beside the photo
    (hostile or absurd data), they continue at full width below instead of overflowing a cell."""
    right_width = FRAME_WIDTH - (PHOTO_WIDTH_MM + PHOTO_GAP_MM) * mm
    title, items = block.right[0], list(block.right[1:])
    beside = sum(_text_height(p, right_width) for p in block.right)
    below: list[Flowable] = []
    if beside > FRAME_HEIGHT / 2:
        right = [TextLines(title)]
        below = [TextLines(p) for p in items]
    else:
        right = [TextLines(p) for p in block.right]
    table = Table(
        [[PhotoBox(block.photo), "", right]],
        colWidths=[PHOTO_WIDTH_MM * mm, PHOTO_GAP_MM * mm, right_width],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # the cell default would name Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    table.spaceAfter = 6
    return [table, *below]


def _split_last_lines(paras: Sequence[Para], count: int) -> tuple[list[Flowable], list[Flowable]]:
    """(everything but the last `count` lines, those lines) of a run of paragraphs at full width."""
    before: list[Flowable] = []
    tail: list[Flowable] = []
    need = count
    for para in reversed(paras):
        lines = wrap_runs(para.runs, FRAME_WIDTH, para.size)
        if need <= 0:
            before.insert(0, TextLines(para, lines, FRAME_WIDTH))
        elif len(lines) <= need:
            tail.insert(0, TextLines(para, lines, FRAME_WIDTH))
            need -= len(lines)
        else:
            cut = len(lines) - need
            head = TextLines(para, lines[:cut], FRAME_WIDTH)
            head.spaceAfter = 0
            before.insert(0, head)
            tail.insert(0, TextLines(para, lines[cut:], FRAME_WIDTH))
            need = 0
    return before, tail


def _signature(block: SignatureBlock, keep: KeepWithSignature | None) -> list[Flowable]:
    """Item 38's text, then the signature table; the table and the last two lines before it move
    to a new page together when they do not fit."""
    left_w, right_w = (FRAME_WIDTH * f for f in SIGNATURE_SPLIT)
    rows = [[TextLines(left), TextLines(right)] for left, right in block.rows]
    heights: list[float | None] = [None] * len(rows)
    heights[block.space_row] = SIGNATURE_SPACE_MM * mm
    table = Table(
        rows,
        colWidths=[left_w, right_w],
        rowHeights=heights,
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # the cell default would name Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    before, tail = _split_last_lines(keep.paras if keep else (), 2)
    return [*before, KeepTogether([*tail, Spacer(1, 6), table])]


def _min_height(flowable: Flowable) -> float:
    """How much of a flowable must share the page with the caption or heading before it."""
    if isinstance(flowable, GridTable):
        return flowable.head_height
    if isinstance(flowable, TextLines):
        lines = flowable.lines_for(FRAME_WIDTH)
        return min(len(lines), 2) * flowable.leading + (flowable.spaceAfter if len(lines) <= 2 else 0)
    return 0.0


def story(blocks: Sequence[Block]) -> list[Flowable]:
    """Flowables for the document model; keep-with-next chains get a conditional page break."""
    flowables: list[Flowable] = []
    keep_flags: list[bool] = []
    pending_keep: KeepWithSignature | None = None
    for block in blocks:
        if isinstance(block, Para):
            flowables.append(TextLines(block))
            keep_flags.append(block.keep_with_next)
        elif isinstance(block, TableBlock):
            flowables.append(_table(block))
            keep_flags.append(False)
        elif isinstance(block, TopBlock):
            for f in _top(block):
                flowables.append(f)
                keep_flags.append(False)
        elif isinstance(block, KeepWithSignature):
            pending_keep = block
        elif isinstance(block, SignatureBlock):
            for f in _signature(block, pending_keep):
                flowables.append(f)
                keep_flags.append(False)
            pending_keep = None
    out: list[Flowable] = []
    index = 0
    while index < len(flowables):
        if keep_flags[index]:
            end = index
            height = 0.0
            while end < len(flowables) and keep_flags[end]:
                f = flowables[end]
                assert isinstance(f, TextLines)
                height += len(f.lines_for(FRAME_WIDTH)) * f.leading + f.spaceAfter + f.spaceBefore
                end += 1
            if end < len(flowables):
                height += _min_height(flowables[end])
            height += KEEP_SLACK
            out.append(CondPageBreak(min(height, FRAME_HEIGHT / 2)))
            out.extend(flowables[index:end])
            index = end
        else:
            out.append(flowables[index])
            index += 1
    return out


# --- pages -----------------------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Defers each page until the end, so every footer can say "Trang n/N"."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(fonts.REGULAR, FOOTER_SIZE)
            self.setFillColor(colors.black)
            self.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, f"{self.footer} · {page_label(number, total)}")
            Canvas.showPage(self)
        Canvas.save(self)


def _draft_watermark(canvas: Canvas, _doc: Any) -> None:
    """Light grey diagonal mark under the page's content: a draft must never pass for the form."""
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.82, 0.82, 0.82))
    canvas.setFont(fonts.BOLD, 40)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(55)
    canvas.drawCentredString(0, -14, DRAFT_MARK)
    canvas.restoreState()


def _no_decoration(_canvas: Canvas, _doc: Any) -> None:
    return None


def render_pdf(snapshot: PrintSnapshot) -> bytes:
    """The complete 2C form of one snapshot as PDF bytes."""
    fonts.register_fonts()
    # Binary (Flate only) streams: ASCII85 makes the file 25% larger and, in pure Python, costs a
    # fifth of the build time. A process-wide ReportLab setting; this app makes no other PDFs.
    rl_config.useA85 = 0
    buffer = io.BytesIO()
    decorate = _draft_watermark if snapshot.version.is_draft else _no_decoration
    frame = Frame(
        MARGIN, MARGIN, FRAME_WIDTH, FRAME_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        pageTemplates=[PageTemplate("form", frames=[frame], onPage=decorate)],
        title=document_title(snapshot),
        subject=FORM_NAME,
        creator="hoso-ccvc",
        invariant=1,
        initialFontName=fonts.REGULAR,  # else Helvetica, which has no Vietnamese, is referenced
        initialFontSize=BODY_SIZE,
    )
    canvas_class = type("_FormCanvas", (_NumberedCanvas,), {"footer": footer_text(snapshot)})
    doc.build(story(form_2c(snapshot)), canvasmaker=canvas_class)
    return buffer.getvalue()
