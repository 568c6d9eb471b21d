"""Dates: the parse/format helpers the forms use, and the Dates rules applied to every date."""

from __future__ import annotations

from datetime import date

import pytest

from models.dates import (
    add_years,
    age_on,
    format_date,
    format_pdate,
    parse_date,
    parse_pdate,
    parse_year,
    pdate_le,
    pdate_lt,
)
from models.profile import Profile
from models.sections import OldRegimeWork, Training
from tests.test_rules import TODAY, assert_flips, pd, period

# -- parsing and formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015", (date(2015, 1, 1), "year")),
        ("09/2015", (date(2015, 9, 1), "month")),
        ("9/2015", (date(2015, 9, 1), "month")),
        ("9.2015", (date(2015, 9, 1), "month")),
        ("9-2015", (date(2015, 9, 1), "month")),
        ("01/09/2015", (date(2015, 9, 1), "day")),
        ("1.9.2015", (date(2015, 9, 1), "day")),
        ("1-9-2015", (date(2015, 9, 1), "day")),
        (" 29/02/2024 ", (date(2024, 2, 29), "day")),
        ("04 / 04 / 2000", (date(2000, 4, 4), "day")),
    ],
)
def test_parse_pdate_accepts(text: str, expected: tuple[date, str]) -> None:
    assert parse_pdate(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15", "Năm phải có đủ 4 chữ số"),
        ("09/15", "Năm phải có đủ 4 chữ số"),
        ("1/9/15", "Năm phải có đủ 4 chữ số"),
        ("13/2015", "Tháng phải từ 1 đến 12"),
        ("0/2015", "Tháng phải từ 1 đến 12"),
        ("31/02/2015", "Ngày 31/02/2015 không tồn tại"),
        ("29/02/2023", "Ngày 29/02/2023 không tồn tại"),
        ("32/01/2015", "Ngày phải từ 1 đến 31"),
        ("1/1/1/2015", r"Nhập năm \(2015\)"),
        ("", "Chưa nhập ngày tháng"),
        ("năm 2015", "Nhập năm"),
        ("2015-09-01", "Ngày phải từ 1 đến 31"),
    ],
)
def test_parse_pdate_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_pdate(text)


def test_parse_date_needs_a_full_date() -> None:
    assert parse_date("4/4/2000") == date(2000, 4, 4)
    assert parse_date("04.04.2000") == date(2000, 4, 4)
    for text in ("04/2000", "2000", "4/4/00"):
        with pytest.raises(ValueError):
            parse_date(text)
    assert parse_year(" 1985 ") == 1985
    with pytest.raises(ValueError, match="4 chữ số"):
        parse_year("85")


@pytest.mark.parametrize(
    ("value", "precision", "text"),
    [
        (date(2015, 1, 1), "year", "2015"),
        (date(2015, 9, 1), "month", "09/2015"),
        (date(2015, 9, 1), "day", "01/09/2015"),
        (date(2015, 9, 1), None, "01/09/2015"),
        (None, "day", ""),
    ],
)
def test_format_pdate(value: date | None, precision: str | None, text: str) -> None:
    assert format_pdate(value, precision) == text


def test_format_date_pads_day_and_month() -> None:
    assert format_date(date(2000, 4, 4)) == "04/04/2000"
    assert format_date(None) == ""


@pytest.mark.parametrize("text", ["2015", "09/2015", "01/09/2015"])
def test_parse_and_format_round_trip(text: str) -> None:
    assert format_pdate(*parse_pdate(text)) == text


@pytest.mark.parametrize(
    ("a", "b", "le", "lt"),
    [
        ("2015", "03/2015", True, False),
        ("03/2015", "2015", True, False),
        ("03/2015", "02/2015", False, False),
        ("02/2015", "03/2015", True, True),
        ("15/03/2015", "03/2015", True, False),
        ("15/03/2015", "14/03/2015", False, False),
        ("2014", "01/01/2015", True, True),
        ("2016", "12/2015", False, False),
    ],
)
def test_partial_dates_compare_at_the_coarser_precision(a: str, b: str, le: bool, lt: bool) -> None:
    (da, pa), (db_, pb) = parse_pdate(a), parse_pdate(b)
    assert pdate_le(da, pa, db_, pb) is le
    assert pdate_lt(da, pa, db_, pb) is lt


def test_age_and_anniversaries() -> None:
    assert age_on(date(1985, 3, 1), date(2000, 2, 28)) == 14
    assert age_on(date(1985, 3, 1), date(2000, 3, 1)) == 15
    assert add_years(date(2000, 2, 29), 15) == date(2015, 2, 28)


# -- Dates rules on the profile --------------------------------------------------------------------------


def _set(**values: object):  # type: ignore[no-untyped-def]
    def mutate(p: Profile) -> None:
        for name, value in values.items():
            setattr(p, name, value)

    return mutate


def _row(table: str, index: int, **values: object):  # type: ignore[no-untyped-def]
    def mutate(p: Profile) -> None:
        row = getattr(p, table)[index]
        for name, value in values.items():
            setattr(row, name, value)

    return mutate


def _future(year_offset: int = 1) -> date:
    return TODAY.replace(year=TODAY.year + year_offset)


@pytest.mark.parametrize(
    ("mutate", "field", "level"),
    [
        # not in the future
        (_set(id_issued_on=date(2025, 9, 16)), "id_issued_on", "error"),
        (_set(party_card_issued_on=_future()), "party_card_issued_on", "error"),
        (
            _row("work_history", 1, from_date=date(2025, 10, 1), from_date_precision="month"),
            "work_history[1].from_date",
            "error",
        ),
        (
            _row("work_history", 0, to_date=date(2026, 1, 1), to_date_precision="year"),
            "work_history[0].to_date",
            "error",
        ),
        (
            _row("salary_history", 2, from_date=_future(), from_date_precision="day"),
            "salary_history[2].from_date",
            "error",
        ),
        (_row("concurrent_positions", 0, appointed_on=_future()), "concurrent_positions[0].appointed_on", "error"),
        (_row("trainings", 0, from_date=_future(), from_date_precision="day"), "trainings[0].from_date", "error"),
        (_row("annual_results", 2, year=TODAY.year + 1), "annual_results[2].year", "error"),
        (_row("state_titles", 0, year=TODAY.year + 1), "state_titles[0].year", "error"),
        (_row("family_members", 3, birth_year=TODAY.year + 1), "family_members[3].birth_year", "error"),
        # no date before 01/01/1900 (1880 for a relative's birth year)
        (_set(rank_appointed_on=date(1899, 12, 31)), "rank_appointed_on", "error"),
        (_row("family_members", 0, birth_year=1879), "family_members[0].birth_year", "error"),
        (_set(academic_title="pgs", academic_title_year=1899), "academic_title_year", "error"),
        # no date of the employee's life before the birth date
        (_set(rank_appointed_on=date(1985, 2, 28)), "rank_appointed_on", "error"),
        (
            _row("work_history", 0, from_date=date(1984, 1, 1), from_date_precision="year"),
            "work_history[0].from_date",
            "error",
        ),
        (_row("annual_results", 0, year=1984), "annual_results[0].year", "error"),
        (
            _row("concurrent_positions", 0, appointed_on=date(1980, 1, 1)),
            "concurrent_positions[0].appointed_on",
            "error",
        ),
        # birth date itself
        (_set(birth_date=date(1929, 12, 31), id_number="001129012345"), "birth_date", "error"),
        (_set(birth_date=date(2025, 9, 16), id_number="001325012345"), "birth_date", "error"),
        # to ≥ from on every row
        (
            _row("work_history", 0, to_date=date(2007, 12, 1), to_date_precision="month"),
            "work_history[0].to_date",
            "error",
        ),
        (
            _row("org_activities", 0, to_date=date(1999, 1, 1), to_date_precision="year"),
            "org_activities[0].to_date",
            "error",
        ),
        (_row("allowances", 0, to_date=date(2010, 12, 1), to_date_precision="month"), "allowances[0].to_date", "error"),
    ],
)
def test_date_rules(mutate, field: str, level: str) -> None:  # type: ignore[no-untyped-def]
    assert_flips(mutate, field, level)


@pytest.mark.parametrize(
    ("table", "index"),
    [("trainings", 0), ("allowances", 0), ("disciplines", 0)],
)
def test_known_end_may_be_in_the_future(table: str, index: int) -> None:
    from tests.test_rules import run, valid_profile

    profile = valid_profile()
    row = getattr(profile, table)[index]
    row.to_date, row.to_date_precision = date(TODAY.year + 2, 6, 1), "month"
    assert run(profile).issues == []


def test_same_year_from_and_more_precise_to_is_in_order() -> None:
    from tests.test_rules import run, valid_profile

    profile = valid_profile()
    profile.work_history[0] = type(profile.work_history[0])(**period("2008", "01/2008"), unit="UBND xã")
    profile.work_history[1].from_date, profile.work_history[1].from_date_precision = pd("2008")["date"], "year"
    assert run(profile).issues == []


def test_partial_date_in_birth_year_is_not_before_birth() -> None:
    from tests.test_rules import run, valid_profile

    profile = valid_profile()
    profile.old_regime_work = []
    profile.trainings.append(Training(**period("1985", "1986"), kind="tin_hoc", institution="X", level="a"))
    assert run(profile).issues == []
    profile.trainings[-1].from_date, profile.trainings[-1].from_date_precision = date(1985, 2, 1), "month"
    issue = run(profile).issues
    assert [(i.field, i.level) for i in issue] == [("trainings[6].from_date", "error")]


def test_invalid_precision_is_an_error() -> None:
    assert_flips(_row("work_history", 0, from_date_precision="week"), "work_history[0].from_date", "error")


def test_old_regime_dates_may_precede_1975() -> None:
    from tests.test_rules import run, valid_profile

    profile = valid_profile()
    profile.birth_date = date(1940, 1, 1)
    profile.id_number = "001140012345"
    profile.old_regime_work = [OldRegimeWork(**period("1960", "04/1975"), description="Thư ký")]
    # Born 1940: the child born 2012 and others stay plausible; only 30.1 facts unchanged.
    assert [(i.field, i.level) for i in run(profile).issues] == []
