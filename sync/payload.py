"""A confirmed version as the JSON the BNV portal receives, and the checks made before sending it.

The payload is derived from the frozen snapshot (`ProfileVersion.data`), never from the live
profile: what is sent is exactly what was confirmed. Its shape follows the section registry, so a
field added to a section appears in the payload under the same name, with the same type and the
same reference list (docs/bnv_sync.md documents it key by key; `schema_rows()` lists the keys).

Validation refuses what the portal would refuse, before any HTTP call: a coded field must hold a
code of its national list (SECTIONS.md: "the BNV portal rejects free text where a national code
list exists"), and the identity fields the portal keys a person on must be present. Codes that
were deactivated after the confirmation still count: the version is a historical record, and
the portal keeps old codes for the same reason our lists do.

Pure: no database session, no Flask. The caller passes the reference lists and the units.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from models.cccd import check_cccd
from models.refs import RefLookup
from models.section_registry import SECTIONS, SEX_CHOICES, Field, Section, Table
from models.sections.family import FAMILY_SIDES

SCHEMA_VERSION = "1"
SOURCE_SYSTEM = "hoso-ccvc"

# Vietnamese names of the reference lists, for the reasons shown to the leader.
LIST_TITLES: dict[str, str] = {
    "allowance_types": "Loại phụ cấp",
    "blood_groups": "Nhóm máu",
    "disciplines": "Hình thức kỷ luật",
    "education_levels": "Trình độ đào tạo",
    "employment_kinds": "Hình thức làm việc",
    "ethnic_groups": "Dân tộc",
    "evaluation_levels": "Mức xếp loại",
    "family_backgrounds": "Thành phần gia đình xuất thân",
    "family_relations": "Mối quan hệ gia đình",
    "languages": "Ngoại ngữ, tiếng dân tộc",
    "military_ranks": "Quân hàm",
    "party_positions": "Chức vụ Đảng",
    "policy_groups": "Đối tượng chính sách",
    "positions": "Chức vụ",
    "provinces_2025": "Tỉnh/Thành phố",
    "ranks": "Ngạch/Chức danh nghề nghiệp",
    "religions": "Tôn giáo",
    "rewards": "Thi đua, khen thưởng",
    "sociopolitical_orgs": "Tổ chức chính trị - xã hội",
    "staff_types": "Loại cán bộ",
    "state_titles": "Danh hiệu nhà nước",
}

# A family row's side is copied from its relation, not typed, so the registry does not list it;
# the portal needs it to tell 36.1 from 36.2.
EXTRA_TABLE_COLUMNS: dict[str, tuple[Field, ...]] = {
    "family_members": (Field("side", "Về bản thân / bên vợ (chồng)", "enum", enum=FAMILY_SIDES),),
}

# Registry fields that are not sent, and why: the photo is a file path on our server.
NOT_SENT = frozenset({"photo_path"})

# Identity the portal keys a person on: without these a record cannot be matched or created.
IDENTITY_FIELDS = ("full_name", "sex", "birth_date", "id_number", "org_unit_id")

ADDRESS_PARTS = ("province", "commune", "detail", "legacy")
QUOTED_MAX = 60  # a free-text value quoted in a reason is cut to this length


class VersionLike(Protocol):
    """What the builder reads from a confirmed version (models.snapshot_store.ProfileVersion)."""

    profile_id: int
    number: int
    confirmed_at: datetime
    digest: str
    data: dict


@dataclass(frozen=True)
class UnitRef:
    """An organisation unit as the portal sees it: our stable code and its name."""

    code: str
    name: str


@dataclass
class PayloadResult:
    """The JSON body, and the Vietnamese reasons it must not be sent (empty when it may)."""

    payload: dict[str, Any]
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def reason(self) -> str:
        """All the reasons as one text, for `SyncOutbox.last_error`."""
        return " ".join(e if e.endswith(".") else e + "." for e in self.errors)


def idempotency_key(profile_id: int, number: int) -> str:
    """The key the portal deduplicates on, and our outbox's unique key: one per confirmed version."""
    return f"{profile_id}:{number}"


# --- building ------------------------------------------------------------------------------------


def _iso_datetime(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value.tzinfo is None:  # SQLite hands back naive UTC values
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _pdate(value: str | None, precision: str | None) -> str | None:
    """A partial date in ISO 8601 reduced precision: "2015", "2015-09" or "2015-09-01"."""
    if not value:
        return None
    text = str(value)[:10]
    if precision == "year":
        return text[:4]
    if precision == "month":
        return text[:7]
    return text


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _convert(spec: Field, row: Mapping[str, Any], units: Mapping[int, UnitRef]) -> Any:
    """One field's JSON value from a snapshot row (types as in docs/bnv_sync.md)."""
    kind = spec.type
    if kind == "address":
        parts = {part: row.get(f"{spec.name}_{part}") for part in ADDRESS_PARTS}
        return None if all(_blank(v) for v in parts.values()) else parts
    if kind == "pdate":
        return _pdate(row.get(spec.name), row.get(f"{spec.name}_precision"))
    value = row.get(spec.name)
    if kind == "org":
        unit = units.get(value) if isinstance(value, int) else None
        return {"code": unit.code, "name": unit.name} if unit else None
    if kind == "bool":
        return bool(value)
    if kind == "multi":
        return list(value or [])
    if kind == "date":
        return str(value)[:10] if value else None
    if kind in ("int", "year", "money"):
        return int(value) if value is not None and value != "" else None
    if kind == "dec":
        return str(value) if value is not None and value != "" else None
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def payload_key(spec: Field) -> str:
    """The JSON key of a field: the registry name, without the `_id` of a unit reference."""
    return spec.name[: -len("_id")] if spec.type == "org" and spec.name.endswith("_id") else spec.name


def table_columns(table: Table) -> tuple[Field, ...]:
    return table.columns + EXTRA_TABLE_COLUMNS.get(table.name, ())


def build_payload(version: VersionLike, refs: RefLookup, units: Mapping[int, UnitRef]) -> PayloadResult:
    """The JSON body for `version`, with every reason the portal would refuse it.

    `units` maps the unit ids found in the snapshot (`unit_ids_of`) to their codes and names.
    """
    data = version.data or {}
    rows = data.get("rows") or {}
    sections: dict[str, dict[str, Any]] = {}
    for section in SECTIONS:
        body: dict[str, Any] = {}
        for spec in section.fields:
            if spec.name not in NOT_SENT:
                body[payload_key(spec)] = _convert(spec, data, units)
        for table in section.tables:
            columns = table_columns(table)
            body[table.name] = [
                {spec.name: _convert(spec, row, units) for spec in columns} for row in rows.get(table.name) or []
            ]
        sections[section.key] = body
    payload = {
        "schema_version": SCHEMA_VERSION,
        "source_system": SOURCE_SYSTEM,
        "idempotency_key": idempotency_key(version.profile_id, version.number),
        "profile_id": version.profile_id,
        "version": version.number,
        "confirmed_at": _iso_datetime(version.confirmed_at),
        "digest": version.digest,
        "sections": sections,
    }
    return PayloadResult(payload, validate_snapshot(data, refs, units))


def unit_ids_of(data: Mapping[str, Any]) -> set[int]:
    """The unit ids a snapshot refers to (the caller loads their codes for `build_payload`)."""
    ids = set()
    for section in SECTIONS:
        for spec in section.fields:
            value = data.get(spec.name)
            if spec.type == "org" and isinstance(value, int):
                ids.add(value)
    return ids


# --- validation --------------------------------------------------------------------------------


def _quote(value: Any) -> str:
    text = " ".join(str(value).split())
    return "«" + (text if len(text) <= QUOTED_MAX else text[: QUOTED_MAX - 1] + "…") + "»"


def _code_error(where: str, list_name: str, value: Any) -> str:
    title = LIST_TITLES.get(list_name, list_name)
    return f"{where}: {_quote(value)} không phải là mã trong danh mục {title} (cổng BNV chỉ nhận mã của danh mục)"


def _check_coded(where: str, spec: Field, row: Mapping[str, Any], refs: RefLookup) -> Iterator[str]:
    """Reasons a coded value of `spec` in `row` is refused: free text, or a code of no list."""
    if spec.type == "address":
        province = row.get(f"{spec.name}_province")
        if not _blank(province) and not refs.exists("provinces_2025", str(province), active_only=False):
            yield _code_error(f"{where} – Tỉnh/Thành phố", "provinces_2025", province)
        return
    value = row.get(spec.name)
    if _blank(value):
        return
    if spec.type == "choice" and spec.ref:
        if not isinstance(value, str) or not refs.exists(spec.ref, value, spec.ref_kind or None, active_only=False):
            yield _code_error(where, spec.ref, value)
    elif spec.type == "multi" and spec.ref:
        values = value if isinstance(value, list) else [value]
        for code in values:
            if not isinstance(code, str) or not refs.exists(spec.ref, code, spec.ref_kind or None, active_only=False):
                yield _code_error(where, spec.ref, code)
    elif spec.type == "enum" and spec.enum is not None and value not in spec.enum:
        allowed = ", ".join(spec.enum)
        yield f"{where}: {_quote(value)} không phải là một trong các mã được phép ({allowed})"


def _check_identity(data: Mapping[str, Any], units: Mapping[int, UnitRef]) -> Iterator[str]:
    labels = {spec.name: spec.label for spec in SECTIONS[0].fields}
    for name in IDENTITY_FIELDS:
        value = data.get(name)
        if _blank(value):
            yield f"Thiếu {labels[name]} (bắt buộc để cổng BNV nhận diện hồ sơ)"
        elif name == "sex" and value not in SEX_CHOICES:
            yield f"{labels[name]}: {_quote(value)} không phải là một trong các mã được phép (nam, nu)"
        elif name == "birth_date" and not _is_iso_date(value):
            yield f"{labels[name]}: {_quote(value)} không phải là ngày hợp lệ"
        elif name == "id_number":
            for message in check_cccd(str(value)).errors:
                yield f"{labels[name]}: {message.rstrip('.')}"
        elif name == "org_unit_id" and value not in units:
            yield f"{labels[name]}: đơn vị không còn trong cây đơn vị"


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return True


def validate_snapshot(data: Mapping[str, Any], refs: RefLookup, units: Mapping[int, UnitRef]) -> list[str]:
    """Every reason the portal would refuse this snapshot, in section order, each naming its field."""
    errors = list(_check_identity(data, units))
    rows = data.get("rows") or {}
    for section in SECTIONS:
        errors.extend(_check_section(section, data, rows, refs))
    return errors


def _check_section(
    section: Section, data: Mapping[str, Any], rows: Mapping[str, Any], refs: RefLookup
) -> Iterator[str]:
    for spec in section.fields:
        yield from _check_coded(spec.label, spec, data, refs)
    for table in section.tables:
        for index, row in enumerate(rows.get(table.name) or [], start=1):
            for spec in table_columns(table):
                yield from _check_coded(f"{table.title}, dòng {index} – {spec.label}", spec, row, refs)


# --- the documented schema ---------------------------------------------------------------------

TYPE_NAMES = {
    "text": "string",
    "longtext": "string",
    "int": "integer",
    "year": "integer",
    "money": "integer",
    "dec": "string (decimal)",
    "bool": "boolean",
    "date": "string (date)",
    "pdate": "string (partial date)",
    "choice": "string (code)",
    "multi": "array of string (codes)",
    "enum": "string (code)",
    "org": "object (unit)",
    "address": "object (address)",
}


@dataclass(frozen=True)
class SchemaRow:
    """One key of `sections`, as docs/bnv_sync.md lists it."""

    path: str  # e.g. "sections.party_union.party_position" or "sections.salary.allowances[].basis"
    type: str
    codes: str  # the reference list (and kind), the fixed codes of an enum, or ""
    label: str


def _codes_of(spec: Field) -> str:
    if spec.type == "address":
        return "province: provinces_2025"
    if spec.ref:
        return spec.ref + (f" (kind {spec.ref_kind})" if spec.ref_kind else "")
    if spec.enum:
        return ", ".join(spec.enum)
    return ""


def schema_rows() -> list[SchemaRow]:
    """Every key under `sections`, in payload order (the docs' field tables are generated from it)."""
    out: list[SchemaRow] = []
    for section in SECTIONS:
        prefix = f"sections.{section.key}"
        for spec in section.fields:
            if spec.name not in NOT_SENT:
                path = f"{prefix}.{payload_key(spec)}"
                out.append(SchemaRow(path, TYPE_NAMES[spec.type], _codes_of(spec), spec.label))
        for table in section.tables:
            out.append(SchemaRow(f"{prefix}.{table.name}", "array of object", "", table.title))
            for spec in table_columns(table):
                out.append(
                    SchemaRow(
                        f"{prefix}.{table.name}[].{spec.name}", TYPE_NAMES[spec.type], _codes_of(spec), spec.label
                    )
                )
    return out
