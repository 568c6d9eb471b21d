"""NGUYỄN NGỌC HUỆ's profile: every section I–XI filled by hand, the spec's example of a finished declaration.

Born 04/04/2000 in Hà Nội (CCCD 001300012345: Hà Nội, female, 2000); her father's family comes from
Thừa Thiên Huế, so her quê quán is in today's Thành phố Huế. Law graduate, recruited by UBND quận
Ba Đình in 07/2022 as a chuyên viên (01.003, group A1), step 2 since 07/2025.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from demo.common import Refs, period
from demo.org_tree import UNIT_SPECS
from demo.people import Person
from models.profile import Profile
from models.sections import (
    Allowance,
    AnnualResult,
    ConcurrentPosition,
    FamilyMember,
    House,
    Land,
    OrgActivity,
    SalaryHistory,
    Training,
    WorkHistory,
)

HUE_UNIT = "BD"
HUE_RANK = "01.003"  # Chuyên viên, group A1
HUE = Person(
    "Nguyễn Ngọc Huệ",
    "nu",
    date(2000, 4, 4),
    "001",
    "xã Quảng Thành, huyện Quảng Điền, tỉnh Thừa Thiên Huế",
    HUE_UNIT,
    "cong_chuc",
    HUE_RANK,
    date(2022, 7, 1),
    "Chuyên viên Văn phòng HĐND và UBND quận Ba Đình",
    "Luật",
    status="confirmed",
    fixed_cccd="001300012345",
)


def fill_hue_profile(profile: Profile, refs: Refs) -> None:
    """Set every field of sections I–XI and add the repeating rows; coded values come from refs."""
    _basic(profile, refs)
    _salary(profile, refs)
    _family(profile, refs)
    _education(profile, refs)
    _employment(profile, refs)
    _assessment(profile, refs)
    _party(profile, refs)
    _personal_and_economy(profile)
    _other(profile, refs)


def _basic(profile: Profile, refs: Refs) -> None:
    profile.staff_number = "BĐ-2022-0147"
    profile.other_names = None
    profile.birth_place_province = refs.code("provinces_2025", "01")
    profile.birth_place_commune = "phường Ngọc Hà"
    profile.birth_place_legacy = "phường Ngọc Hà, quận Ba Đình, TP Hà Nội"
    profile.hometown_province = refs.code("provinces_2025", "46")  # Huế (Thừa Thiên Huế before 2025)
    profile.hometown_legacy = "xã Quảng Thành, huyện Quảng Điền, tỉnh Thừa Thiên Huế"
    profile.ethnicity = refs.code("ethnic_groups", "01")
    profile.religion = refs.code("religions", "00")
    profile.id_issued_on = date(2021, 5, 10)
    profile.id_issued_by = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
    profile.phone = "0912460404"
    profile.email = "nguyenngochue.bd@example.com"
    profile.social_insurance_number = "0122012345"
    profile.health_insurance_number = "HC4010122012345"
    profile.current_address_province = refs.code("provinces_2025", "01")
    profile.current_address_commune = "phường Ngọc Hà"
    profile.current_address_detail = "Số 12, ngõ 120 phố Hoàng Hoa Thám"
    profile.current_address_legacy = "phường Ngọc Hà, quận Ba Đình, TP Hà Nội"
    profile.permanent_address_province = profile.current_address_province
    profile.permanent_address_commune = profile.current_address_commune
    profile.permanent_address_detail = profile.current_address_detail
    profile.permanent_address_legacy = profile.current_address_legacy
    profile.policy_groups = []


def _salary(profile: Profile, refs: Refs) -> None:
    group = refs.rank(HUE_RANK, date(2022, 7, 1)).salary_group
    profile.rank_code = HUE_RANK
    profile.rank_appointed_on = date(2023, 7, 1)  # after 12 months of tập sự
    profile.salary_step = 2
    profile.salary_coefficient = refs.coefficient(group, 2)
    profile.salary_since = date(2025, 7, 1)
    profile.salary_percent = 100
    profile.other_allowances = "Phụ cấp công vụ 25%"
    profile.salary_history.extend(
        [
            SalaryHistory(
                sort_order=0,
                rank_code=HUE_RANK,
                salary_step=1,
                salary_coefficient=refs.coefficient(group, 1),
                **period("07/2022", "06/2025"),
            ),
            SalaryHistory(
                sort_order=1,
                rank_code=HUE_RANK,
                salary_step=2,
                salary_coefficient=refs.coefficient(group, 2),
                **period("07/2025"),
            ),
        ]
    )
    profile.allowances.extend(
        [
            Allowance(
                sort_order=0,
                allowance_type=refs.code("allowance_types", "cong_vu"),
                basis="phan_tram",
                percent=Decimal(25),
                **period("07/2022"),
            ),
            Allowance(
                sort_order=1,
                allowance_type=refs.code("allowance_types", "trach_nhiem_cong_viec"),
                basis="he_so",
                coefficient=Decimal("0.10"),
                **period("01/01/2024"),
            ),
        ]
    )


def _family(profile: Profile, refs: Refs) -> None:
    hometown = "xã Quảng Thành, huyện Quảng Điền, tỉnh Thừa Thiên Huế"
    home = "Số 12, ngõ 120 phố Hoàng Hoa Thám, phường Ngọc Hà, TP Hà Nội"
    rows = [
        (
            "cha",
            "Nguyễn Văn Thành",
            1968,
            {
                "occupation": "Kỹ sư xây dựng",
                "workplace": "Phó Giám đốc Công ty Cổ phần Tư vấn Xây dựng Thăng Long",
                "political_orgs": "Đảng viên Đảng Cộng sản Việt Nam",
            },
        ),
        (
            "me",
            "Trần Thị Mai",
            1972,
            {
                "occupation": "Giáo viên",
                "workplace": "Giáo viên Trường Tiểu học Ngọc Hà, quận Ba Đình",
                "political_orgs": "Hội viên Hội Liên hiệp Phụ nữ Việt Nam",
                "hometown": "phường Kim Mã, quận Ba Đình, TP Hà Nội",
            },
        ),
        (
            "anh_ruot",
            "Nguyễn Ngọc Huy",
            1997,
            {
                "occupation": "Kỹ sư phần mềm",
                "workplace": "Công ty TNHH Phần mềm FPT, quận Cầu Giấy, TP Hà Nội",
                "residence": "phường Dịch Vọng, quận Cầu Giấy, TP Hà Nội",
            },
        ),
        (
            "em_ruot",
            "Nguyễn Minh Khôi",
            2005,
            {
                "occupation": "Sinh viên",
                "workplace": "Sinh viên Đại học Bách khoa Hà Nội",
            },
        ),
    ]
    for order, (relation, name, born, extra) in enumerate(rows):
        values = {"hometown": hometown, "residence": home, **extra}
        profile.family_members.append(
            FamilyMember(
                sort_order=order,
                relation=relation,
                side=refs.relation_side(relation),
                full_name=name,
                birth_year=born,
                **values,
            )
        )


def _education(profile: Profile, refs: Refs) -> None:
    profile.general_education = refs.code("education_levels", "12/12", "giao_duc_pho_thong")
    profile.highest_qualification = refs.code("education_levels", "dh", "chuyen_mon")
    profile.highest_qualification_major = "Luật"
    profile.academic_title = None
    mode = "hinh_thuc_dao_tao"
    rows = [
        Training(
            kind="chuyen_mon",
            institution="Trường Đại học Luật Hà Nội",
            major="Luật",
            study_mode=refs.code("education_levels", "chinh_quy", mode),
            level=refs.code("education_levels", "dh", "chuyen_mon"),
            certificate="Cử nhân Luật",
            **period("09/2018", "06/2022"),
        ),
        Training(
            kind="ly_luan_chinh_tri",
            institution="Trung tâm Chính trị quận Ba Đình",
            study_mode=refs.code("education_levels", "khong_tap_trung", mode),
            level=refs.code("education_levels", "so_cap", "ly_luan_chinh_tri"),
            certificate="Chứng chỉ sơ cấp lý luận chính trị",
            **period("03/2023", "05/2023"),
        ),
        Training(
            kind="boi_duong",
            institution="Trường Đào tạo cán bộ Lê Hồng Phong thành phố Hà Nội",
            level=refs.code("education_levels", "cv", "quan_ly_nha_nuoc"),
            certificate="Chứng chỉ bồi dưỡng quản lý nhà nước ngạch chuyên viên",
            **period("09/2023", "11/2023"),
        ),
        Training(
            kind="quoc_phong_an_ninh",
            institution="Ban Chỉ huy Quân sự quận Ba Đình",
            level=refs.code("education_levels", "doi_tuong_4", "quoc_phong_an_ninh"),
            certificate="Chứng nhận bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4",
            **period("2024", "2024"),
        ),
        Training(
            kind="tin_hoc",
            institution="Trung tâm Tin học, Trường Đại học Khoa học Tự nhiên, Đại học Quốc gia Hà Nội",
            level=refs.code("education_levels", "cntt_co_ban", "tin_hoc"),
            certificate="Chứng chỉ Ứng dụng công nghệ thông tin cơ bản",
            **period("06/11/2021", "28/11/2021"),
        ),
        Training(
            kind="ngoai_ngu",
            institution="Hội đồng Anh (British Council) Việt Nam",
            level=refs.code("education_levels", "quoc_te", "ngoai_ngu"),
            language=refs.code("languages", "en", "ngoai_ngu"),
            certificate="IELTS Academic",
            score="6.5",
            **period("08/2021", "08/2021"),
        ),
    ]
    for order, row in enumerate(rows):
        row.sort_order = order
        profile.trainings.append(row)


def _employment(profile: Profile, refs: Refs) -> None:
    office = "Văn phòng HĐND và UBND quận Ba Đình, TP Hà Nội"
    profile.family_background = refs.code("family_backgrounds", "tri_thuc")
    profile.occupation_before_recruitment = "Sinh viên"
    profile.first_recruited_on = date(2022, 7, 1)
    profile.first_recruiting_agency = UNIT_SPECS[HUE_UNIT].long_name
    profile.joined_current_agency_on = date(2022, 7, 1)
    profile.employment_kind = refs.code("employment_kinds", "bien_che")
    profile.current_position = None
    profile.planned_positions = None
    profile.main_duties = (
        "Tham mưu công tác cải cách hành chính, kiểm soát thủ tục hành chính của UBND quận; "
        "tổng hợp báo cáo định kỳ của Văn phòng HĐND và UBND quận; theo dõi công tác chuyển đổi số."
    )
    profile.work_strengths = "Soạn thảo văn bản hành chính, tổng hợp báo cáo"
    profile.longest_job = f"Chuyên viên, {office}"
    profile.concurrent_positions.append(
        ConcurrentPosition(
            sort_order=0,
            position=refs.code("positions", "bi_thu_doan", "doan_the"),
            title="Bí thư Chi đoàn Văn phòng HĐND và UBND quận Ba Đình",
            appointed_on=date(2023, 3, 20),
        )
    )
    profile.work_history.extend(
        [
            WorkHistory(
                sort_order=0, unit="Trường Đại học Luật Hà Nội", title="Sinh viên", **period("09/2018", "06/2022")
            ),
            WorkHistory(sort_order=1, unit=office, title="Công chức tập sự", **period("07/2022", "06/2023")),
            WorkHistory(sort_order=2, unit=office, title="Chuyên viên", **period("07/2023")),
        ]
    )


def _assessment(profile: Profile, refs: Refs) -> None:
    thi_dua, khen = "danh_hieu_thi_dua", "hinh_thuc_khen_thuong"
    profile.annual_results.extend(
        [
            AnnualResult(year=2022, professional_rating=refs.code("evaluation_levels", "htnv"), awards=[]),
            AnnualResult(
                year=2023,
                professional_rating=refs.code("evaluation_levels", "httnv"),
                emulation_title=refs.code("rewards", "lao_dong_tien_tien", thi_dua),
                awards=[],
            ),
            AnnualResult(
                year=2024,
                professional_rating=refs.code("evaluation_levels", "htxsnv"),
                emulation_title=refs.code("rewards", "lao_dong_tien_tien", thi_dua),
                awards=[refs.code("rewards", "giay_khen", khen)],
                award_details="Chủ tịch UBND quận Ba Đình, QĐ số 1520/QĐ-UBND ngày 25/12/2024",
            ),
        ]
    )
    profile.agency_assessment = (
        "Đồng chí Nguyễn Ngọc Huệ có phẩm chất chính trị vững vàng, đạo đức, lối sống lành mạnh; "
        "có năng lực tham mưu, tổng hợp; năm 2024 hoàn thành xuất sắc nhiệm vụ được giao."
    )


def _party(profile: Profile, refs: Refs) -> None:
    cell = "Chi bộ Văn phòng HĐND và UBND quận Ba Đình"
    profile.is_party_member = True
    profile.party_joined_on = date(2021, 11, 19)
    profile.party_official_on = date(2022, 11, 19)
    profile.party_card_number = "01107345"
    profile.party_card_issued_on = date(2023, 5, 19)
    profile.party_cell = cell
    profile.party_position = None
    profile.first_org_joined_on = date(2015, 3, 26)
    profile.first_org = refs.code("sociopolitical_orgs", "doan_tncs", "chinh_tri_xa_hoi")
    youth, union = ("doan_tncs", "chinh_tri_xa_hoi"), ("cong_doan", "chinh_tri_xa_hoi")
    rows = [
        (youth, "Chi đoàn lớp 10A1, Trường THPT Phan Đình Phùng", "Đoàn viên", period("03/2015", "06/2018")),
        (youth, "Chi đoàn lớp K43, Trường Đại học Luật Hà Nội", "Đoàn viên", period("09/2018", "06/2022")),
        (youth, "Chi đoàn Văn phòng HĐND và UBND quận Ba Đình", "Bí thư Chi đoàn", period("07/2022")),
        (("dang", "dang"), "Chi bộ Sinh viên, Trường Đại học Luật Hà Nội", "Đảng viên", period("11/2021", "06/2022")),
        (("dang", "dang"), cell, "Đảng viên", period("07/2022")),
        (union, "Công đoàn cơ quan UBND quận Ba Đình", "Đoàn viên công đoàn", period("07/2022")),
    ]
    for order, ((org, kind), unit, role, dates) in enumerate(rows):
        profile.org_activities.append(
            OrgActivity(
                sort_order=order, org=refs.code("sociopolitical_orgs", org, kind), unit=unit, role=role, **dates
            )
        )


def _personal_and_economy(profile: Profile) -> None:
    profile.arrest_history = "Không"
    profile.goals = "Hoàn thành tốt nhiệm vụ được giao; học thạc sĩ Luật Hiến pháp và Luật Hành chính."
    profile.hobbies = "Đọc sách, chạy bộ"
    profile.salary_income = 98_000_000
    profile.other_income = "Không"
    profile.production_land = "Không"
    profile.houses.append(
        House(
            sort_order=0,
            acquisition="tu_mua_xay",
            house_type="Nhà ở riêng lẻ 4 tầng (nhà của bố mẹ)",
            floor_area_m2=Decimal("160.00"),
            ownership_certificate="Đã được cấp Giấy chứng nhận (đứng tên bố)",
            address="Số 12, ngõ 120 phố Hoàng Hoa Thám, phường Ngọc Hà, TP Hà Nội",
        )
    )
    profile.lands.append(
        Land(
            sort_order=0,
            acquisition="tu_mua",
            area_m2=Decimal("45.00"),
            use_certificate="Đã được cấp Giấy chứng nhận (đứng tên bố)",
            address="Số 12, ngõ 120 phố Hoàng Hoa Thám, phường Ngọc Hà, TP Hà Nội",
        )
    )


def _other(profile: Profile, refs: Refs) -> None:
    profile.health_status = "Tốt"
    profile.height_cm = 158
    profile.weight_kg = 48
    profile.blood_group = refs.code("blood_groups", "O")
    profile.other_notes = None
