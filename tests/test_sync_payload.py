"""The payload: a confirmed version as the documented JSON, and the checks that refuse it before
sending (free text in a coded field, a missing identity field), each with a Vietnamese reason."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from demo.seed import seed_demo_data
from extensions import db
from models.refs import RefLookup
from models.snapshot_store import ProfileVersion
from sync.payload import UnitRef, build_payload, schema_rows, unit_ids_of
from sync.worker import load_units

DOCS = Path(__file__).resolve().parent.parent / "docs" / "bnv_sync.md"
REFS = RefLookup.from_refdata()
UNITS = {3: UnitRef("GL-NV", "Phòng Nội vụ"), 2: UnitRef("GL", "UBND huyện Gia Lâm")}


def snapshot(**fields: Any) -> dict[str, Any]:
    """A small valid snapshot (the shape of models.snapshot.profile_data) with `fields` changed."""
    data: dict[str, Any] = {
        "org_unit_id": 3,
        "managing_agency_id": 2,
        "staff_type": "cong_chuc",
        "full_name": "Phạm Thị Hồng Nhung",
        "sex": "nu",
        "birth_date": "1988-06-25",
        "id_number": "034188009267",
        "ethnicity": "01",
        "religion": "00",
        "birth_place_province": "33",
        "birth_place_legacy": "xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình",
        "policy_groups": [],
        "salary_coefficient": "3.66",
        "salary_step": 5,
        "is_party_member": True,
        "party_position": "bi_thu",
        "enlisted_on": "2006-02-01",
        "enlisted_on_precision": "month",
        "rows": {
            "family_members": [{"relation": "cha", "side": "ban_than", "full_name": "Phạm Quang Thanh", "id": 13}],
            "party_concurrent_positions": [{"position": "pho_bi_thu", "title": None, "appointed_on": None}],
            "annual_results": [{"year": 2024, "professional_rating": "htxsnv", "awards": ["bang_khen_ttcp"]}],
        },
    }
    data.update(fields)
    return data


def version(data: dict[str, Any], profile_id: int = 12, number: int = 3) -> SimpleNamespace:
    return SimpleNamespace(
        profile_id=profile_id,
        number=number,
        confirmed_at=datetime(2024, 5, 6, 3, 4, 5, tzinfo=UTC),
        digest="ab" * 32,
        data=data,
    )


def test_payload_shape_and_types():
    result = build_payload(version(snapshot()), REFS, UNITS)
    assert result.errors == []
    p = result.payload
    assert p["schema_version"] == "1" and p["source_system"] == "hoso-ccvc"
    assert (p["idempotency_key"], p["profile_id"], p["version"]) == ("12:3", 12, 3)
    assert p["confirmed_at"] == "2024-05-06T03:04:05+00:00"
    basic = p["sections"]["basic"]
    assert basic["org_unit"] == {"code": "GL-NV", "name": "Phòng Nội vụ"}
    assert basic["managing_agency"] == {"code": "GL", "name": "UBND huyện Gia Lâm"}
    assert "org_unit_id" not in basic and "photo_path" not in basic
    assert basic["birth_place"] == {
        "province": "33",
        "commune": None,
        "detail": None,
        "legacy": "xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình",
    }
    assert basic["current_address"] is None and basic["policy_groups"] == []
    assert p["sections"]["salary"]["salary_coefficient"] == "3.66"
    assert p["sections"]["other"]["enlisted_on"] == "2006-02"  # partial date, month precision
    assert p["sections"]["party_union"]["party_position"] == "bi_thu"
    family = p["sections"]["family"]["family_members"][0]
    assert family["side"] == "ban_than" and "id" not in family and "sort_order" not in family
    assert p["sections"]["assessment"]["annual_results"][0]["awards"] == ["bang_khen_ttcp"]
    json.dumps(p, ensure_ascii=False)  # plain JSON all the way down


def test_free_text_party_position_is_refused_naming_the_field():
    result = build_payload(version(snapshot(party_position="Bí thư chi bộ")), REFS, UNITS)
    assert result.errors == [
        "Chức vụ Đảng hiện tại: «Bí thư chi bộ» không phải là mã trong danh mục Chức vụ Đảng "
        "(cổng BNV chỉ nhận mã của danh mục)"
    ]
    assert result.reason().endswith("(cổng BNV chỉ nhận mã của danh mục).")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"rows": {"party_concurrent_positions": [{"position": "Phó bí thư đoàn"}]}},
            "Chức vụ Đảng kiêm nhiệm, dòng 1 – Chức vụ: «Phó bí thư đoàn» không phải là mã trong danh mục Chức vụ Đảng",
        ),
        ({"ethnicity": "Kinh"}, "Dân tộc: «Kinh» không phải là mã trong danh mục Dân tộc"),
        ({"policy_groups": ["con liệt sĩ"]}, "Đối tượng chính sách: «con liệt sĩ» không phải là mã"),
        ({"birth_place_province": "Thái Bình"}, "Nơi sinh – Tỉnh/Thành phố: «Thái Bình» không phải là mã"),
        ({"rank_code": "chuyên viên"}, "danh mục Ngạch/Chức danh nghề nghiệp"),
        ({"sex": "female"}, "Giới tính: «female» không phải là một trong các mã được phép (nam, nu)"),
        # A training level of the wrong kind: "dh" exists, but not as a general education level.
        ({"general_education": "dh"}, "Trình độ giáo dục phổ thông: «dh» không phải là mã trong danh mục Trình độ"),
        ({"full_name": "  "}, "Thiếu Họ và tên khai sinh (bắt buộc để cổng BNV nhận diện hồ sơ)"),
        ({"id_number": None}, "Thiếu Số CCCD"),
        ({"id_number": "12345"}, "Số CCCD: Số CCCD phải gồm đúng 12 chữ số"),
        ({"birth_date": None}, "Thiếu Ngày sinh"),
        ({"org_unit_id": 99}, "Đơn vị/Phòng ban: đơn vị không còn trong cây đơn vị"),
    ],
)
def test_each_refusal_names_its_field(fields, expected):
    result = build_payload(version(snapshot(**fields)), REFS, UNITS)
    assert any(expected in e for e in result.errors), result.errors


def test_deactivated_codes_of_an_old_version_still_count():
    refs = RefLookup.from_rows(
        items=[{"list_name": "party_positions", "code": "bi_thu_cu", "name": "Bí thư (cũ)", "active": False}]
    )
    data = {"party_position": "bi_thu_cu", "full_name": "A B", "sex": "nam", "birth_date": "1980-01-01"}
    assert not any("Chức vụ Đảng" in e for e in build_payload(version(data), refs, UNITS).errors)


def test_every_confirmed_demo_profile_is_valid(app):
    """The demo data syncs cleanly: the browser test and the demo rely on it."""
    seed_demo_data(db.session)
    db.session.commit()
    refs = RefLookup.load(db.session)
    versions = list(db.session.scalars(select(ProfileVersion)))
    assert len(versions) >= 10
    for v in versions:
        result = build_payload(v, refs, load_units(db.session, unit_ids_of(v.data)))
        assert result.errors == [], (v.profile_id, result.errors)
        assert result.payload["sections"]["basic"]["org_unit"]["code"]


def test_docs_list_every_key_of_the_schema():
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"`(sections(?:\.[a-z0-9_]+(?:\[\])?)+)`", text))
    missing = [row.path for row in schema_rows() if row.path not in documented]
    assert missing == []
    for key in ("schema_version", "source_system", "idempotency_key", "profile_id", "confirmed_at", "digest"):
        assert f"`{key}`" in text
