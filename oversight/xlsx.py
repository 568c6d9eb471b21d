"""Report workbooks: a title block, a one- or two-row header, the rows and a bold totals row.

models.export.build_xlsx makes flat lists; reports sent to the district need a title saying what,
for whom and as of when, and grouped column headers (the layout of the paper forms). Text cells go
through models.export.escape_formula, the one place that decides how a spreadsheet formula is
neutralised, and are written as string cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.export import DATE_FORMAT, DATETIME_FORMAT, CellValue, escape_formula

PERCENT_FORMAT = "0.0%"
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    label: str
    group: str = ""  # the header above a run of adjacent columns with the same group
    kind: str = "text"  # text | int | percent | date | datetime
    width: int | None = None


@dataclass(frozen=True)
class ReportSheet:
    sheet_name: str
    title: str
    notes: Sequence[str]
    columns: Sequence[Column]
    rows: Sequence[Sequence[CellValue]]
    totals: Sequence[CellValue] | None = None


def _write(sheet: Worksheet, row: int, col: int, value: CellValue, column: Column | None = None) -> None:
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = escape_formula(value)
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)  # already local wall-clock time: xlsx has no time zones
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
        if column is not None and column.kind == "percent":
            cell.number_format = PERCENT_FORMAT
    cell.border = _BOX


def build_report_xlsx(report: ReportSheet) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = (report.sheet_name.translate(_SHEET_NAME_FORBIDDEN).strip() or "Sheet1")[:_SHEET_NAME_MAX]
    width = len(report.columns)

    title = sheet.cell(row=1, column=1, value=escape_formula(report.title))
    title.data_type = "s"
    title.font = Font(bold=True, size=13)
    row = 2
    for note in report.notes:
        cell = sheet.cell(row=row, column=1, value=escape_formula(note))
        cell.data_type = "s"
        cell.font = Font(italic=True)
        row += 1
    row += 1  # a blank line before the table

    grouped = any(column.group for column in report.columns)
    header_rows = 2 if grouped else 1
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    col = 1
    while col <= width:
        column = report.columns[col - 1]
        if grouped and column.group:
            end = col
            while end < width and report.columns[end].group == column.group:
                end += 1
            _write(sheet, row, col, column.group)
            if end > col:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=end)
            for sub in range(col, end + 1):
                _write(sheet, row + 1, sub, report.columns[sub - 1].label)
            col = end + 1
        else:
            _write(sheet, row, col, column.label)
            if grouped:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
            col += 1
    for r in range(row, row + header_rows):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.font = bold
            cell.alignment = centred
            cell.border = _BOX
    first_data = row + header_rows
    sheet.freeze_panes = sheet.cell(row=first_data, column=2)

    r = first_data
    for values in report.rows:
        for c, value in enumerate(values, start=1):
            _write(sheet, r, c, value, report.columns[c - 1] if c <= width else None)
        r += 1
    if report.totals is not None:
        for c, value in enumerate(report.totals, start=1):
            _write(sheet, r, c, value, report.columns[c - 1] if c <= width else None)
            sheet.cell(row=r, column=c).font = bold

    for c, column in enumerate(report.columns, start=1):
        longest = max([len(column.label) // 2 + 1] + [len(str(v[c - 1])) for v in report.rows if c <= len(v)])
        sheet.column_dimensions[get_column_letter(c)].width = column.width or min(max(longest + 2, 8), 50)

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
