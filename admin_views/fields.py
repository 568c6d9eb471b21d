"""WTForms fields for profile data: dd/mm/yyyy dates, partial dates, Vietnamese numbers, coded
selects over the reference lists, NFC-normalised text. Every message is Vietnamese.

Fields never require a value: Lưu keeps incomplete data; completeness is checked on submit.
Only malformed input (a date that is not a date, letters in a number) is refused here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_admin.form import Select2Widget
from wtforms import fields
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import ValidationError

from models.dates import DateFormatError, PartialDate, format_date, format_pdate, parse_date, parse_pdate, parse_year
from models.text import clean_text, has_control_chars


class _TypedText(fields.StringField):
    """A text input whose value is parsed; bad text is kept on screen with a message."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.format(self.data) if self.data is not None else ""

    def format(self, value: Any) -> str:
        return str(value)

    def parse(self, text: str) -> Any:
        return text

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = (valuelist[0] if valuelist else "") or ""
        text = unicodedata.normalize("NFC", str(text)).strip()
        if not text:
            self.data = None
            return
        try:
            self.data = self.parse(text)
        except (ValueError, InvalidOperation) as exc:
            self.data = None
            raise ValueError(str(exc) if isinstance(exc, DateFormatError) else self.bad_message) from exc

    bad_message = "Giá trị không hợp lệ."


class DateField(_TypedText):
    bad_message = "Ngày phải có dạng ngày/tháng/năm, ví dụ 04/04/2000."

    def format(self, value: Any) -> str:
        return format_date(value)

    def parse(self, text: str) -> Any:
        return parse_date(text)


class PartialDateField(_TypedText):
    """yyyy, mm/yyyy or dd/mm/yyyy; its data is a PartialDate (models.dates)."""

    bad_message = "Nhập năm (2015), tháng/năm (09/2015) hoặc ngày/tháng/năm (01/09/2015)."

    def format(self, value: PartialDate) -> str:
        return format_pdate(value.value, value.precision)

    def parse(self, text: str) -> Any:
        return parse_pdate(text)


class IntField(_TypedText):
    bad_message = "Phải là số nguyên."

    def __init__(self, *args: Any, minimum: int | None = None, maximum: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def parse(self, text: str) -> Any:
        if not re.fullmatch(r"[+-]?\d+", text.replace(" ", "")):
            raise ValueError(self.bad_message)
        return int(text.replace(" ", ""))


class YearField(IntField):
    def parse(self, text: str) -> Any:
        return parse_year(text)


class DecimalField(_TypedText):
    """Accepts ',' or '.' as the decimal mark; shows ','."""

    bad_message = "Phải là số (dùng dấu phẩy cho phần thập phân, ví dụ 2,34)."

    def format(self, value: Any) -> str:
        return f"{Decimal(value):.2f}".replace(".", ",")

    def parse(self, text: str) -> Any:
        normalised = text.replace(" ", "").replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d{1,2})?", normalised):
            raise ValueError(self.bad_message)
        return Decimal(normalised)


class MoneyField(_TypedText):
    """Whole đồng; thousands may be grouped with '.', ',' or spaces (60.000.000)."""

    bad_message = "Số tiền phải là số nguyên không âm (đồng), ví dụ 60.000.000."

    def format(self, value: Any) -> str:
        return f"{int(value):,}".replace(",", ".")

    def parse(self, text: str) -> Any:
        digits = re.sub(r"[.,\s]", "", text)
        if not digits.isdigit():
            raise ValueError(self.bad_message)
        return int(digits)


def _check_text(field: fields.Field, max_length: int) -> None:
    value = field.data or ""
    if has_control_chars(value):
        raise ValidationError("Không được chứa ký tự điều khiển.")
    if len(value) > max_length:
        raise ValidationError(f"Tối đa {max_length} ký tự (đang có {len(value)}).")


class TextField(fields.StringField):
    """One line: NFC, trimmed, spaces collapsed."""

    def __init__(self, *args: Any, max_length: int = 255, **kwargs: Any) -> None:
        super().__init__(*args, filters=[clean_text], **kwargs)
        self.max_length = max_length

    def pre_validate(self, form: Any) -> None:
        _check_text(self, self.max_length)


def _clean_multiline(value: str | None) -> str | None:
    if value is None:
        return None
    lines = [clean_text(line) or "" for line in unicodedata.normalize("NFC", value).splitlines()]
    text = "\n".join(lines).strip()
    return text or None


class LongTextField(fields.TextAreaField):
    def __init__(self, *args: Any, max_length: int = 4000, **kwargs: Any) -> None:
        super().__init__(*args, filters=[_clean_multiline], **kwargs)
        self.max_length = max_length

    def pre_validate(self, form: Any) -> None:
        value = (self.data or "").replace("\n", " ")
        if has_control_chars(value):
            raise ValidationError("Không được chứa ký tự điều khiển.")
        if len(self.data or "") > self.max_length:
            raise ValidationError(f"Tối đa {self.max_length} ký tự.")


ChoiceLoader = Callable[[], list[tuple[str, str]]]
ChoiceCheck = Callable[[str], bool]


class CodeSelectField(fields.SelectField):
    """A coded value chosen from a list, with type-to-search (select2). Stores the code.

    `choices` is loaded per request; `is_known` accepts codes kept for old records (legacy or
    deactivated) so a profile that already holds one still saves.
    """

    widget = Select2Widget()

    def __init__(self, *args: Any, loader: ChoiceLoader, is_known: ChoiceCheck, **kwargs: Any) -> None:
        # Bound fields are built per request, so the list is read here, from the request's cache.
        choices = [SelectChoice("", ""), *(SelectChoice(code, label) for code, label in loader())]
        super().__init__(*args, choices=choices, validate_choice=False, **kwargs)
        self.is_known = is_known

    def process_data(self, value: Any) -> None:
        self.data = value if value not in (None, "") else None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = (valuelist[0] or None) if valuelist else None

    def iter_choices(self):  # type: ignore[no-untyped-def]
        known = {choice.value for choice in self.choices}
        if self.data and self.data not in known:
            yield Choice(self.data, self.data, True, {})
        for choice in self.choices:
            yield Choice(choice.value, choice.label, choice.value == (self.data or ""), {})

    def pre_validate(self, form: Any) -> None:
        if self.data and not self.is_known(self.data):
            raise ValidationError("Giá trị không có trong danh mục.")


class CodeMultiSelectField(fields.SelectMultipleField):
    widget = Select2Widget(multiple=True)

    def __init__(self, *args: Any, loader: ChoiceLoader, is_known: ChoiceCheck, **kwargs: Any) -> None:
        choices = [SelectChoice(code, label) for code, label in loader()]
        super().__init__(*args, choices=choices, validate_choice=False, **kwargs)
        self.is_known = is_known

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])

    def pre_validate(self, form: Any) -> None:
        unknown = [code for code in self.data or [] if not self.is_known(code)]
        if unknown:
            raise ValidationError("Giá trị không có trong danh mục: " + ", ".join(unknown))

    def populate_obj(self, obj: Any, name: str) -> None:
        setattr(obj, name, list(self.data or []))


class EnumSelectField(fields.SelectField):
    """A short fixed list (SECTIONS.md enum{…})."""

    def __init__(self, *args: Any, options: dict[str, str], **kwargs: Any) -> None:
        choices = [SelectChoice("", ""), *(SelectChoice(code, label) for code, label in options.items())]
        super().__init__(*args, choices=choices, validate_choice=False, **kwargs)
        self.options = options

    def process_data(self, value: Any) -> None:
        self.data = value or None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = (valuelist[0] or None) if valuelist else None

    def pre_validate(self, form: Any) -> None:
        if self.data and self.data not in self.options:
            raise ValidationError("Giá trị không hợp lệ.")


class YesNoField(fields.BooleanField):
    false_values = (False, "false", "", "0", "n", "no")


class OrgSelectField(fields.SelectField):
    """A unit of the organisation tree, limited to the units the current user may assign."""

    def __init__(self, *args: Any, loader: Callable[[], list[tuple[int, str]]], **kwargs: Any) -> None:
        choices = [SelectChoice(str(unit_id), label) for unit_id, label in loader()]
        super().__init__(*args, choices=choices, validate_choice=False, **kwargs)

    def process_data(self, value: Any) -> None:
        self.data = str(value) if value is not None else None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = (valuelist[0] or None) if valuelist else None

    def iter_choices(self):  # type: ignore[no-untyped-def]
        known = {choice.value for choice in self.choices}
        if self.data and self.data not in known:
            yield Choice(self.data, f"(đơn vị #{self.data}, ngoài phạm vi)", True, {})
        for choice in self.choices:
            yield Choice(choice.value, choice.label, choice.value == (self.data or ""), {})

    def pre_validate(self, form: Any) -> None:
        unchanged = self.object_data is not None and self.data == str(self.object_data)
        if not unchanged and self.data not in {choice.value for choice in self.choices}:
            raise ValidationError("Chọn một đơn vị trong phạm vi quản lý của bạn.")

    def populate_obj(self, obj: Any, name: str) -> None:
        setattr(obj, name, int(self.data) if self.data else None)
