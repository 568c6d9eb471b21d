"""Spreadsheet export: plain rows in, xlsx bytes out. No database, no request.

The workbook is opened by HR in Excel or LibreOffice, where a cell that starts with `=`, `+`, `-`
or `@` is a formula (and tab or CR can start one after a paste): a profile named
`=HYPERLINK("http://x")` would run on the reader's machine. Every text cell therefore gets a
leading `'` when it starts with one of those characters (SECURITY.md, "Input and output"), and is
written as a string cell so openpyxl never turns it into a formula either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel caps a sheet name at 31 characters and refuses a few symbols in it.
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

CellValue = str | int | float | date | datetime | None


def escape_formula(text: str) -> str:
    """`text` as a spreadsheet shows it literally: a leading `'` when it could start a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def build_xlsx(headers: Sequence[str], rows: Iterable[Sequence[CellValue]], *, sheet_title: str) -> bytes:
    """One sheet with a bold header row and the rows below it.

    Dates stay real dates (sortable and filterable in Excel) shown dd/mm/yyyy; datetimes must
    already be local wall-clock time, since xlsx has no time zones (a tz-aware value is rejected
    by openpyxl, so it is stripped here after the caller converted it).
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = (sheet_title.translate(_SHEET_NAME_FORBIDDEN).strip() or "Sheet1")[:_SHEET_NAME_MAX]

    widths = [len(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col, value=escape_formula(header))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)

    for row_index, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=col)
            if isinstance(value, str):
                cell.value = escape_formula(value)
                cell.data_type = "s"
                shown = len(cell.value)
            elif isinstance(value, datetime):
                cell.value = value.replace(tzinfo=None)
                cell.number_format = DATETIME_FORMAT
                shown = len("dd/mm/yyyy hh:mm")
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = DATE_FORMAT
                shown = len("dd/mm/yyyy")
            else:
                cell.value = value
                shown = len(str(value)) if value is not None else 0
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], shown)

    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
