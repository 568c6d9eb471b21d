"""The print snapshot: one profile's 2C values resolved to the text that prints (FORM_2C.md).

Input is plain data, never ORM objects: `ProfileVersion.data` (the official, confirmed version) or
`models.snapshot.profile_data(profile)` (the current draft), both the same JSON-ready dict of
columns plus `rows` per child table. Codes are named through a `RefLookup` and unit ids through a
`UnitDirectory` that the caller loaded beforehand, so building a snapshot issues no query at all,
whatever the number of rows. The PDF and Word renderers only lay this text out.

A value here is either the printed text or "" (empty): how an empty slot prints (dots, a date
pattern, nothing) is a matter of the form's layout (reports/form_2c.py), not of the data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from models.dates import format_date, format_pdate
from models.refs import RefLookup
from models.section_registry import SEX_CHOICES
from models.sections.education import TRAINING_KINDS
from models.sections.rewards import DISCIPLINE_SCOPES
from models.sections.salary import ALLOWANCE_BASES
from models.snapshot import digest as data_digest

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Header wording by staff type (FORM_2C.md, "Header block"; wording to confirm in one place).
STAFF_NOUN_CIVIL_SERVANT = "cán bộ, công chức"
STAFF_NOUN_PUBLIC_EMPLOYEE = "viên chức"
STAFF_NOUN_OTHER = "người lao động"
CIVIL_SERVANT_TYPES = frozenset({"can_bo", "cong_chuc", "can_bo_cap_xa", "cong_chuc_cap_xa"})
PUBLIC_EMPLOYEE_TYPES = frozenset({"vien_chuc"})
DEFAULT_HEAD_TITLE = "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"
OPEN_PERIOD = "nay"
SHORT_HASH_LENGTH = 10

# Unit kinds that are a department of an agency: the agency's name follows the unit's.
DEPARTMENT_KINDS = frozenset({"phong_ban"})

# Relation order in 36.x: parents, spouse, children by birth year, then siblings by birth year.
_RELATION_GROUPS = {
    "cha": 0,
    "cha_vo": 0,
    "cha_chong": 0,
    "me": 1,
    "me_vo": 1,
    "me_chong": 1,
    "cha_nuoi": 2,
    "me_nuoi": 3,
    "vo": 4,
    "chong": 4,
    "con": 5,
    "con_nuoi": 5,
}
_SIBLING_GROUP = 6
_UNKNOWN_GROUP = 7

# Tables whose open period prints "nay"; 34.2 and 35.2 print nothing (FORM_2C.md, General rules).
_NO_OPEN_LABEL = frozenset({"old_regime_work", "disciplines"})

# Characters a PDF or a .docx cannot carry (XML 1.0 forbids them); stored text refuses them, but
# an old version or an import might still hold one.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class UnitInfo:
    name: str
    kind: str = ""
    parent_id: int | None = None


@dataclass(frozen=True)
class UnitDirectory:
    """Organisation units by id, as plain values; the caller loads the ones a snapshot names."""

    units: Mapping[int, UnitInfo] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str, str, int | None]]) -> UnitDirectory:
        """From (id, name, kind, parent_id) rows, e.g. one SELECT over OrgUnit."""
        return cls({uid: UnitInfo(name, kind or "", parent) for uid, name, kind, parent in rows})

    def name(self, unit_id: int | None) -> str:
        unit = self.units.get(unit_id) if unit_id is not None else None
        return clean(unit.name) if unit else ""

    def using_unit(self, unit_id: int | None) -> str:
        """The unit's name, followed by its agency's when it is a department ("Phòng Nội vụ, UBND huyện Gia Lâm")."""
        unit = self.units.get(unit_id) if unit_id is not None else None
        if unit is None:
            return ""
        parent = self.units.get(unit.parent_id) if unit.parent_id is not None else None
        if unit.kind in DEPARTMENT_KINDS and parent is not None:
            return clean(f"{unit.name}, {parent.name}")
        return clean(unit.name)


@dataclass(frozen=True)
class VersionInfo:
    """Which data prints: a confirmed version (number, date) or the current draft."""

    is_draft: bool
    number: int | None = None
    confirmed_on: date | None = None
    digest: str = ""  # full hex digest of the printed data

    @property
    def short_hash(self) -> str:
        return self.digest[:SHORT_HASH_LENGTH]


@dataclass(frozen=True)
class Signature:
    place: str = ""
    head_title: str = DEFAULT_HEAD_TITLE
    head_name: str = ""


@dataclass(frozen=True)
class PrintSnapshot:
    """Everything the 2C form prints, as text. Picklable (sent to bulk-export worker processes).

    `values` maps a slot id (mostly the SECTIONS.md field id) to its printed text; `tables` maps a
    2C table ("32.1", "33", …) to its rows of cell texts; `houses`/`lands` are rows of 37.3 keyed by
    acquisition. An absent or "" value is an empty slot.
    """

    profile_id: int | None
    full_name: str
    version: VersionInfo
    values: Mapping[str, str]
    tables: Mapping[str, tuple[tuple[str, ...], ...]]
    houses: Mapping[str, tuple[tuple[str, str, str], ...]]
    lands: Mapping[str, tuple[tuple[str, str], ...]]
    signature: Signature = Signature()
    photo: bytes | None = None
    printed_on: date | None = None  # today (Viet Nam) when the snapshot was built

    def value(self, key: str) -> str:
        return self.values.get(key, "")

    @property
    def file_date(self) -> date:
        """The date in the file name: the confirmation date, or the day a draft was printed."""
        return self.version.confirmed_on or self.printed_on or datetime.now(VN_TZ).date()


# --- text and number formatting --------------------------------------------------------------


def clean(value: Any) -> str:
    """Printed text of a stored value: NFC (decomposed tone marks render detached), no control
    characters, no trailing blanks; user line breaks are kept (normalised to "\\n")."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_int(value: Any) -> str:
    """Whole numbers with a thousands dot: 4680000 -> "4.680.000"."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{int(number):,}".replace(",", ".")


def format_dec(value: Any, places: int | None = 2) -> str:
    """Vietnamese decimals: comma, thousands dot. `places=None` drops trailing zeros ("60,5")."""
    number = _decimal(value)
    if number is None:
        return ""
    if places is None:
        text = format(number.normalize(), "f")
        whole, _, fraction = text.partition(".")
    else:
        whole, _, fraction = f"{number:.{places}f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def format_percent(value: Any) -> str:
    text = format_dec(value, None)
    return f"{text}%" if text else ""


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def print_date(value: Any) -> str:
    return format_date(_date(value))


def print_pdate(value: Any, precision: Any) -> str:
    return format_pdate(_date(value), precision or None)


def birth_date_words(value: Any) -> str:
    """Item 3: "04 tháng 04 năm 2000"."""
    day = _date(value)
    return f"{day.day:02d} tháng {day.month:02d} năm {day.year:04d}" if day else ""


def join(parts: Iterable[str], separator: str = "; ") -> str:
    return separator.join(p for p in parts if p)


def upper_name(name: str) -> str:
    """Capitals on the NFC string, so "đ" becomes "Đ" and tone marks stay on their letters."""
    return unicodedata.normalize("NFC", name.upper())


def vn_date(moment: datetime | date | str | None) -> date | None:
    """The calendar day in Viet Nam of a stored timestamp (SQLite returns naive UTC values)."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return None
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(VN_TZ).date()
    return moment


# --- the snapshot ------------------------------------------------------------------------------


class _Builder:
    """Resolves one profile's data dict; one instance per snapshot, no state kept after."""

    def __init__(self, data: Mapping[str, Any], refs: RefLookup, units: UnitDirectory) -> None:
        self.data = data
        self.refs = refs
        self.units = units
        self.rows: Mapping[str, Sequence[Mapping[str, Any]]] = data.get("rows") or {}

    # -- lookups ----------------------------------------------------------------------------------

    def text(self, key: str) -> str:
        return clean(self.data.get(key))

    def ref(self, list_name: str, code: Any, kind: str = "") -> str:
        """The list name of a code; an unknown code prints as itself rather than vanish."""
        if code is None or code == "":
            return ""
        name = self.refs.name(list_name, str(code), kind)
        if name is None and kind:
            name = self.refs.name(list_name, str(code))
        return clean(name if name is not None else code)

    def province(self, code: Any, *, full: bool) -> str:
        entry = self.refs.item("provinces_2025", str(code)) if code else None
        if entry is None:
            return clean(code)
        return clean(entry.extra.get("full_name") if full and entry.extra.get("full_name") else entry.name)

    def address(self, prefix: str) -> str:
        """Address rule (items 4 and 10): detail, commune, province full name; else the legacy text."""
        province = self.data.get(f"{prefix}_province")
        commune = self.text(f"{prefix}_commune")
        if not province and not commune:
            return self.text(f"{prefix}_legacy")
        return join(
            [self.text(f"{prefix}_detail"), commune, self.province(province, full=True) if province else ""], ", "
        )

    def table(self, name: str) -> list[Mapping[str, Any]]:
        return list(self.rows.get(name) or [])

    # -- row order -------------------------------------------------------------------------------

    @staticmethod
    def _entry_key(row: Mapping[str, Any]) -> tuple[int, int]:
        return (int(row.get("sort_order") or 0), int(row.get("id") or 0))

    def by_period(self, rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        """By from_date, then to_date (open last), then entry order; a sort_order that is set wins."""

        def key(row: Mapping[str, Any]) -> tuple:
            start = _date(row.get("from_date")) or date.max
            end = _date(row.get("to_date")) or date.max
            order, row_id = self._entry_key(row)
            return (order, start, end, row_id)

        return sorted(rows, key=key)

    def period(self, row: Mapping[str, Any], table: str) -> tuple[str, str]:
        start = print_pdate(row.get("from_date"), row.get("from_date_precision"))
        end = print_pdate(row.get("to_date"), row.get("to_date_precision"))
        if not end and table not in _NO_OPEN_LABEL:
            end = OPEN_PERIOD
        return start, end

    # -- items -----------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        d = self.data
        v: dict[str, str] = {}
        v["staff_noun"] = staff_noun(self.data.get("staff_type"))
        v["managing_agency"] = self.units.name(d.get("managing_agency_id"))
        v["using_unit"] = self.units.using_unit(d.get("org_unit_id"))
        v["staff_number"] = self.text("staff_number")
        v["bnv_identifier"] = self.text("bnv_identifier")

        name = self.text("full_name")
        v["full_name"] = name
        v["full_name_upper"] = upper_name(name)
        v["sex"] = SEX_CHOICES.get(d.get("sex") or "", "")
        v["other_names"] = self.text("other_names")
        v["birth_date"] = birth_date_words(d.get("birth_date"))
        v["birth_place"] = self.address("birth_place")
        v["hometown_commune"], v["hometown_province"] = self.hometown()
        v["ethnicity"] = self.ref("ethnic_groups", d.get("ethnicity"))
        v["religion"] = self.ref("religions", d.get("religion"))
        v["id_number"] = self.text("id_number")
        v["id_issued_on"] = print_date(d.get("id_issued_on"))
        v["phone"] = self.text("phone")
        v["social_insurance_number"] = self.text("social_insurance_number")
        v["health_insurance_number"] = self.text("health_insurance_number")
        v["current_address"] = self.address("current_address")
        v["family_background"] = self.ref("family_backgrounds", d.get("family_background"))
        v["occupation_before_recruitment"] = self.text("occupation_before_recruitment")
        v["first_recruited_on"] = print_date(d.get("first_recruited_on"))
        v["first_recruiting_agency"] = self.text("first_recruiting_agency")
        v["joined_current_agency_on"] = print_date(d.get("joined_current_agency_on"))
        member = d.get("is_party_member")
        # Non-members: both slots dotted, whatever an old record still holds.
        v["party_joined_on"] = print_date(d.get("party_joined_on")) if member is not False else ""
        v["party_official_on"] = print_date(d.get("party_official_on")) if member is not False else ""
        v["first_org_joined_on"] = print_date(d.get("first_org_joined_on"))
        first_org = self.ref("sociopolitical_orgs", d.get("first_org"))
        v["first_org"] = f" ({first_org})" if first_org else ""
        v["enlisted_on"] = print_pdate(d.get("enlisted_on"), d.get("enlisted_on_precision"))
        v["discharged_on"] = print_pdate(d.get("discharged_on"), d.get("discharged_on_precision"))
        v["highest_military_rank"] = self.ref("military_ranks", d.get("highest_military_rank"))
        v["policy_groups"] = join(self.ref("policy_groups", code) for code in d.get("policy_groups") or [])
        v["general_education"] = self.ref("education_levels", d.get("general_education"), "giao_duc_pho_thong")
        level = self.ref("education_levels", d.get("highest_qualification"), "chuyen_mon")
        major = self.text("highest_qualification_major")
        v["highest_qualification"] = f"{level}, chuyên ngành {major}" if level and major else level
        title = self.ref("education_levels", d.get("academic_title"), "hoc_ham")
        year = self.text("academic_title_year")
        v["academic_title"] = f"{title} ({year})" if title and year else title
        v["state_titles"] = self.state_titles()
        v["position"] = self.text("current_position_title") or self.ref("positions", d.get("current_position"))
        v["position_appointed_on"] = print_date(d.get("position_appointed_on"))
        v["position_reappointed_on"] = print_date(d.get("position_reappointed_on"))
        v["planned_positions"] = self.text("planned_positions")
        v["concurrent_positions"] = self.titled_positions("concurrent_positions", "positions")
        v["party_position"] = self.text("party_position_title") or self.ref("party_positions", d.get("party_position"))
        v["party_concurrent_positions"] = self.titled_positions("party_concurrent_positions", "party_positions")
        v["main_duties"] = self.text("main_duties")
        v["work_strengths"] = self.text("work_strengths")
        v["longest_job"] = self.text("longest_job")
        v.update(self.salary())
        v["health_status"] = self.text("health_status")
        v["height_cm"] = format_int(d.get("height_cm"))
        v["weight_kg"] = format_int(d.get("weight_kg"))
        v["blood_group"] = self.ref("blood_groups", d.get("blood_group"))
        v["arrest_history"] = self.text("arrest_history")
        income = format_int(d.get("salary_income"))
        v["salary_income"] = f"{income} đồng" if income else ""
        v["other_income"] = self.text("other_income")
        v["production_land"] = self.text("production_land")
        v["agency_assessment"] = self.text("agency_assessment")
        return v

    def hometown(self) -> tuple[str, str]:
        """Item 5: (commune, province short name). Without a commune the legacy text takes the
        first slot, so the old xã/huyện is not lost; the province slot keeps today's province."""
        province = self.data.get("hometown_province")
        commune = self.text("hometown_commune") or self.text("hometown_legacy")
        return commune, self.province(province, full=False) if province else ""

    def state_titles(self) -> str:
        """Item 22: "Nhà giáo Ưu tú (2017)", by year, joined "; "."""
        rows = sorted(self.table("state_titles"), key=lambda r: (int(r.get("year") or 0), self._entry_key(r)))
        titles = []
        for row in rows:
            name, year = self.ref("state_titles", row.get("title")), clean(row.get("year"))
            titles.append(f"{name} ({year})" if name and year else name)
        return join(titles)

    def titled_positions(self, table: str, list_name: str) -> str:
        rows = sorted(self.table(table), key=self._entry_key)
        return join(clean(r.get("title")) or self.ref(list_name, r.get("position")) for r in rows)

    def salary(self) -> dict[str, str]:
        d = self.data
        rank = self.refs.rank(d.get("rank_code")) if d.get("rank_code") else None
        return {
            "rank_name": clean(rank.name) if rank else clean(d.get("rank_code")),
            "rank_code": self.text("rank_code"),
            "rank_appointed_on": print_date(d.get("rank_appointed_on")),
            "salary_step": format_int(d.get("salary_step")),
            "salary_coefficient": format_dec(d.get("salary_coefficient")),
            "salary_since": print_date(d.get("salary_since")),
            "salary_percent": format_percent(d.get("salary_percent")),
            "seniority_allowance_percent": format_percent(d.get("seniority_allowance_percent")),
            "seniority_allowance_since": print_date(d.get("seniority_allowance_since")),
            "position_allowance": format_dec(d.get("position_allowance")),
            "concurrent_allowance_percent": format_percent(d.get("concurrent_allowance_percent")),
            "other_allowances": self.text("other_allowances"),
            "job_position": self.text("job_position"),
            "job_position_code": self.text("job_position_code"),
            "job_salary_step": format_int(d.get("job_salary_step")),
            "job_salary_amount": format_int(d.get("job_salary_amount")),
            "job_salary_since": print_date(d.get("job_salary_since")),
            "job_salary_percent": format_percent(d.get("job_salary_percent")),
            "job_seniority_percent": format_percent(d.get("job_seniority_percent")),
            "job_seniority_since": print_date(d.get("job_seniority_since")),
        }

    # -- tables ----------------------------------------------------------------------------------

    def tables(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        out: dict[str, tuple[tuple[str, ...], ...]] = {}
        trainings = self.by_period(self.table("trainings"))
        for number, kind in enumerate(TRAINING_KINDS, start=1):
            rows = [r for r in trainings if r.get("kind") == kind]
            out[f"32.{number}"] = tuple(self.training_row(r, kind) for r in rows)
        out["33"] = tuple(
            (*self.period(r, "work_history"), clean(r.get("unit")), clean(r.get("title")))
            for r in self.by_period(self.table("work_history"))
        )
        for key, name in (("34.2", "old_regime_work"), ("34.3", "foreign_organizations")):
            out[key] = tuple(
                (*self.period(r, name), clean(r.get("description"))) for r in self.by_period(self.table(name))
            )
        out["35.1"] = tuple(
            self.annual_row(r)
            for r in sorted(self.table("annual_results"), key=lambda r: (int(r.get("year") or 0), self._entry_key(r)))
        )
        out["35.2"] = tuple(self.discipline_row(r) for r in self.by_period(self.table("disciplines")))
        family = self.family_rows()
        out["36.1"] = tuple(self.family_row(r) for r in family if r.get("side") != "ben_vo_chong")
        out["36.2"] = tuple(self.family_row(r) for r in family if r.get("side") == "ben_vo_chong")
        out["37.1"] = tuple(
            (
                *self.period(r, "salary_history"),
                clean(r.get("rank_code")) or clean(r.get("job_position_code")),
                format_int(r.get("salary_step")),
                format_dec(r.get("salary_coefficient")),
                format_int(r.get("job_salary_amount")),
            )
            for r in self.by_period(self.table("salary_history"))
        )
        out["37.2"] = tuple(
            (
                *self.period(r, "allowances"),
                self.ref("allowance_types", r.get("allowance_type")),
                format_percent(r.get("percent")),
                format_dec(r.get("coefficient")),
                ALLOWANCE_BASES.get(r.get("basis") or "", clean(r.get("basis"))),
                format_int(r.get("amount")),
            )
            for r in self.by_period(self.table("allowances"))
        )
        return out

    def training_row(self, row: Mapping[str, Any], kind: str) -> tuple[str, ...]:
        start, end = self.period(row, "trainings")
        level_kind = TRAINING_KINDS[kind][1]
        award = clean(row.get("certificate")) or self.ref("education_levels", row.get("level"), level_kind)
        institution = clean(row.get("institution"))
        if kind == "chuyen_mon":
            mode = self.ref("education_levels", row.get("study_mode"), "hinh_thuc_dao_tao")
            return (start, end, institution, clean(row.get("major")), mode, award)
        if kind == "ly_luan_chinh_tri":
            mode = self.ref("education_levels", row.get("study_mode"), "hinh_thuc_dao_tao")
            return (start, end, institution, mode, award)
        if kind == "ngoai_ngu":
            language = self.ref("languages", row.get("language"))
            return (start, end, institution, language, award, clean(row.get("score")))
        return (start, end, institution, award)

    def annual_row(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        awards = join(self.ref("rewards", code, "hinh_thuc_khen_thuong") for code in row.get("awards") or [])
        details = clean(row.get("award_details"))
        if details:
            awards = f"{awards} ({details})" if awards else details
        return (
            clean(row.get("year")),
            self.ref("evaluation_levels", row.get("professional_rating")),
            self.ref("rewards", row.get("emulation_title"), "danh_hieu_thi_dua"),
            awards,
        )

    def discipline_row(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        start, end = self.period(row, "disciplines")
        form = self.ref("disciplines", row.get("form"))
        scope = DISCIPLINE_SCOPES.get(row.get("scope") or "", "")
        return (
            start,
            end,
            f"{form} ({scope})" if form and scope else form or scope,
            clean(row.get("violation")),
            clean(row.get("decided_by")),
        )

    def family_rows(self) -> list[Mapping[str, Any]]:
        def key(row: Mapping[str, Any]) -> tuple:
            relation = row.get("relation") or ""
            group = _RELATION_GROUPS.get(relation)
            if group is None:
                sibling = relation.split("_")[0] in ("anh", "chi", "em")
                group = _SIBLING_GROUP if sibling else _UNKNOWN_GROUP
            born = int(row.get("birth_year") or 0) if group >= 5 else 0
            order, row_id = self._entry_key(row)
            return (order, group, born, row_id)

        return sorted(self.table("family_members"), key=key)

    def family_row(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        death_year = clean(row.get("death_year"))
        parts = [
            f"Đã mất năm {death_year}" if death_year else ("Đã mất" if row.get("is_deceased") else ""),
            f"Quê quán: {clean(row.get('hometown'))}" if clean(row.get("hometown")) else "",
            f"Nghề nghiệp: {clean(row.get('occupation'))}" if clean(row.get("occupation")) else "",
            clean(row.get("workplace")),
            f"Nơi ở: {clean(row.get('residence'))}" if clean(row.get("residence")) else "",
            clean(row.get("political_orgs")),
            clean(row.get("past_record")),
        ]
        details = join(p.rstrip(".;") for p in parts)
        return (
            self.ref("family_relations", row.get("relation")),
            clean(row.get("full_name")),
            clean(row.get("birth_year")),
            f"{details}." if details else "",
        )

    def economy(self) -> tuple[dict[str, tuple[tuple[str, str, str], ...]], dict[str, tuple[tuple[str, str], ...]]]:
        houses: dict[str, list[tuple[str, str, str]]] = {"duoc_cap_thue": [], "tu_mua_xay": []}
        for r in sorted(self.table("houses"), key=self._entry_key):
            houses.setdefault(r.get("acquisition") or "", []).append(
                (
                    clean(r.get("house_type")),
                    format_dec(r.get("floor_area_m2"), None),
                    clean(r.get("ownership_certificate")),
                )
            )
        lands: dict[str, list[tuple[str, str]]] = {"duoc_cap": [], "tu_mua": []}
        for r in sorted(self.table("lands"), key=self._entry_key):
            lands.setdefault(r.get("acquisition") or "", []).append(
                (format_dec(r.get("area_m2"), None), clean(r.get("use_certificate")))
            )
        return ({k: tuple(v) for k, v in houses.items()}, {k: tuple(v) for k, v in lands.items()})


def staff_noun(staff_type: str | None) -> str:
    """The noun after "Cơ quan quản lý" / "Đơn vị sử dụng" (an unset type reads as the civil-service form)."""
    if not staff_type or staff_type in CIVIL_SERVANT_TYPES:
        return STAFF_NOUN_CIVIL_SERVANT
    if staff_type in PUBLIC_EMPLOYEE_TYPES:
        return STAFF_NOUN_PUBLIC_EMPLOYEE
    return STAFF_NOUN_OTHER


def build_snapshot(
    data: Mapping[str, Any],
    refs: RefLookup,
    units: UnitDirectory,
    version: VersionInfo,
    *,
    profile_id: int | None = None,
    photo: bytes | None = None,
    signature: Signature | None = None,
    today: date | None = None,
) -> PrintSnapshot:
    """Resolve a profile's data (a ProfileVersion's `data`, or `profile_data()` of the draft)."""
    builder = _Builder(data, refs, units)
    values = builder.values()
    houses, lands = builder.economy()
    return PrintSnapshot(
        profile_id=profile_id,
        full_name=values["full_name"],
        version=version,
        values=values,
        tables=builder.tables(),
        houses=houses,
        lands=lands,
        signature=signature or Signature(),
        photo=photo or None,
        printed_on=today or datetime.now(VN_TZ).date(),
    )


def official_version_info(number: int, confirmed_at: datetime | None, digest: str) -> VersionInfo:
    return VersionInfo(is_draft=False, number=number, confirmed_on=vn_date(confirmed_at), digest=digest or "")


def draft_version_info(data: Mapping[str, Any]) -> VersionInfo:
    """A draft is traced by the hash of exactly the data printed (models.snapshot.digest)."""
    return VersionInfo(is_draft=True, digest=data_digest(dict(data)))
