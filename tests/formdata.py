"""Read a rendered form the way a browser would submit it (inputs, selects, textareas)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._option_value: str | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value") or "y")
            elif kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
            self._multiple = "multiple" in a
            if self._multiple:
                self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                if getattr(self, "_multiple", False):
                    self.data[self._select].append(value)
                else:
                    self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "form" and self.form_id is not None:
            self.inside = False
        elif tag == "select" and self._select:
            if not getattr(self, "_multiple", False):
                value = self._select_value if self._select_value is not None else (self._first_option or "")
                self.data.setdefault(self._select, []).append(value)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.setdefault(self._textarea, []).append("".join(self._text).lstrip("\n"))
            self._textarea = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._textarea:
            self._text.append(data)


def form_fields(html: str, form_id: str | None = "section-form") -> dict[str, list[str]]:
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.data


def as_post(fields: dict[str, list[str]], **overrides: str | list[str]) -> list[tuple[str, str]]:
    """Multi-valued POST body: the page's current values with `overrides` applied."""
    merged = {k: list(v) for k, v in fields.items()}
    for key, value in overrides.items():
        merged[key] = value if isinstance(value, list) else [value]
    return [(k, v) for k, values in merged.items() for v in values]
