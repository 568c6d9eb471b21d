"""Turn a demo Person into a plausible profile: every detail follows from the person's few facts.

Salary steps run from the recruitment date by the rank group's step interval; annual results,
trainings and family are derived from the career and the birth year; "random-looking" choices use
demo.common.digest on the person's name, so each run writes the same profile.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from demo.common import AS_OF, Refs, add_months, digest, month_text, period, pick
from demo.family import add_family
from demo.org_tree import UNIT_SPECS
from demo.people import Person
from demo.salary import add_allowances, add_salary_history, fill_salary, yearly_income
from models.profile import Profile
from models.sections import AnnualResult, House, OrgActivity, Training, WorkHistory

ID_ISSUER = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
LE_HONG_PHONG = "Trường Đào tạo cán bộ Lê Hồng Phong thành phố Hà Nội"
INSTITUTIONS = {
    "Luật": "Trường Đại học Luật Hà Nội",
    "Luật Kinh tế": "Trường Đại học Luật Hà Nội",
    "Quản lý nhà nước": "Học viện Hành chính Quốc gia",
    "Hành chính học": "Học viện Hành chính Quốc gia",
    "Quản lý công": "Học viện Hành chính Quốc gia",
    "Kế toán": "Học viện Tài chính",
    "Tài chính – Ngân hàng": "Học viện Tài chính",
    "Kinh tế": "Trường Đại học Kinh tế Quốc dân",
    "Kinh tế đầu tư": "Trường Đại học Kinh tế Quốc dân",
    "Quản lý kinh tế": "Trường Đại học Kinh tế Quốc dân",
    "Kinh tế nông nghiệp": "Trường Đại học Nông nghiệp Hà Nội",
    "Sư phạm Toán học": "Trường Đại học Sư phạm Hà Nội",
    "Sư phạm Ngữ văn": "Trường Đại học Sư phạm Hà Nội",
    "Sư phạm Tiếng Anh": "Trường Đại học Ngoại ngữ, Đại học Quốc gia Hà Nội",
    "Quản lý giáo dục": "Trường Đại học Sư phạm Hà Nội",
    "Giáo dục Mầm non": "Trường Đại học Sư phạm Hà Nội",
    "Quản lý đất đai": "Trường Đại học Tài nguyên và Môi trường Hà Nội",
    "Lưu trữ học": "Trường Đại học Nội vụ Hà Nội",
    "Quản trị văn phòng": "Trường Đại học Nội vụ Hà Nội",
    "Quản trị nhân lực": "Trường Đại học Nội vụ Hà Nội",
    "Quản lý văn hóa": "Trường Đại học Văn hóa Hà Nội",
    "Công tác xã hội": "Trường Đại học Lao động – Xã hội",
}
# Schools that did not exist under that name when older staff graduated: (name, founded) -> earlier school.
INSTITUTION_BEFORE = {
    ("Trường Đại học Nội vụ Hà Nội", 2012): "Trường Đại học Khoa học Xã hội và Nhân văn, Đại học Quốc gia Hà Nội",
    ("Trường Đại học Tài nguyên và Môi trường Hà Nội", 2011): "Trường Đại học Nông nghiệp Hà Nội",
}
ENGINEERING = {"Quản lý đất đai", "Kinh tế nông nghiệp"}
DEGREE_YEARS = {"dh": 4, "cd": 3, "tc": 2}
DEGREE_TITLES = {"dh": "Cử nhân", "cd": "Cao đẳng", "tc": "Trung cấp"}


def _duties(person: Person) -> str:
    """Công việc chính được giao (item 28): the person's own words, else a sentence that fits the title."""
    if person.duties:
        return person.duties
    unit = UNIT_SPECS[person.unit]
    title = person.title
    if title.startswith("Chủ tịch"):
        return f"Lãnh đạo, điều hành toàn diện hoạt động của {unit.name}; phụ trách công tác tổ chức, cán bộ."
    if title.startswith("Phó Chủ tịch"):
        return f"Giúp Chủ tịch phụ trách lĩnh vực kinh tế, đô thị, tài nguyên và môi trường của {unit.name}."
    if title.startswith(("Trưởng phòng", "Phó Trưởng phòng")):
        return f"Quản lý, điều hành hoạt động của phòng; tham mưu UBND {person.district} về lĩnh vực được giao."
    if title.startswith("Hiệu trưởng"):
        return "Quản lý, điều hành toàn diện hoạt động của nhà trường; chịu trách nhiệm về chất lượng giáo dục."
    if title == "Giáo viên mầm non":
        return "Chăm sóc, nuôi dưỡng và giáo dục trẻ theo Chương trình giáo dục mầm non; phụ trách một nhóm lớp."
    if title.startswith("Giáo viên"):
        return f"Giảng dạy môn {title.removeprefix('Giáo viên ')}, chủ nhiệm lớp; sinh hoạt tổ chuyên môn."
    if title == "Lái xe":
        return "Lái xe phục vụ công tác của lãnh đạo huyện; bảo dưỡng, giữ gìn xe cơ quan."
    if title.startswith("Văn thư"):
        return "Tiếp nhận, đăng ký văn bản đến, đi; quản lý con dấu; lập và nộp hồ sơ vào lưu trữ cơ quan."
    if title.startswith("Công chức"):
        return f"Tham mưu {unit.name} thực hiện nhiệm vụ {title.removeprefix('Công chức ').lower()} theo quy định."
    return f"Tham mưu, tổng hợp và thực hiện nhiệm vụ chuyên môn của {unit.name} theo phân công của lãnh đạo."


def fill_basic(profile: Profile, person: Person, refs: Refs) -> None:
    """Section I beyond the account fields: what an employee types first, even in a draft."""
    d = digest("basic", person.full_name)
    province = refs.province_2025(person.province)
    profile.birth_place_province = province
    profile.birth_place_legacy = person.home
    profile.hometown_province = province
    profile.hometown_legacy = person.home
    profile.ethnicity = refs.code("ethnic_groups", person.ethnicity)
    profile.religion = refs.code("religions", person.religion)
    profile.id_issued_on = date(2021, 1 + d % 12, 1 + d % 28)
    profile.id_issued_by = ID_ISSUER
    profile.phone = f"09{d % 10**8:08d}"
    profile.current_address_province = refs.code("provinces_2025", "01")
    profile.current_address_legacy = person.current_home
    profile.policy_groups = []


def fill_full(profile: Profile, person: Person, refs: Refs, unit_kind: str) -> None:
    """Everything a submitted profile needs, in sections I–XI, with its repeating tables."""
    d = digest("full", person.full_name)
    unit = UNIT_SPECS[person.unit]
    fill_basic(profile, person, refs)
    profile.social_insurance_number = f"01{d % 10**8:08d}"
    profile.health_insurance_number = f"HC401{profile.social_insurance_number}"
    profile.permanent_address_province = profile.current_address_province
    profile.permanent_address_legacy = profile.current_address_legacy

    add_salary_history(profile, fill_salary(profile, person, refs, unit_kind))
    add_allowances(profile, person, refs)

    # IV
    profile.general_education = refs.code("education_levels", "12/12", "giao_duc_pho_thong")
    highest = "ths" if person.master else person.level
    profile.highest_qualification = refs.code("education_levels", highest, "chuyen_mon")
    profile.highest_qualification_major = person.master or person.major
    _trainings(profile, person, refs)

    # V
    profile.family_background = refs.code(
        "family_backgrounds", pick(("nong_dan", "cong_nhan", "can_bo", "tri_thuc"), "bg", person.full_name)
    )
    profile.occupation_before_recruitment = "Sinh viên" if person.major else "Lao động tự do"
    profile.first_recruited_on = person.recruited
    profile.first_recruiting_agency = unit.long_name
    profile.joined_current_agency_on = person.recruited
    profile.employment_kind = refs.code(
        "employment_kinds",
        {"vien_chuc": "hd_lam_viec_khong_xac_dinh", "nguoi_lao_dong": "hd_lao_dong_nd111"}.get(
            person.staff_type, "bien_che"
        ),
    )
    if person.position and person.appointed:
        profile.current_position = refs.code("positions", person.position, _position_group(person.position))
        profile.current_position_title = person.title
        profile.position_appointed_on = person.appointed
        if add_months(person.appointed, 60) <= AS_OF:
            profile.position_reappointed_on = add_months(person.appointed, 60)
    profile.main_duties = _duties(person)
    profile.work_strengths = "Tham mưu, tổng hợp" if person.staff_type != "vien_chuc" else "Giảng dạy, giáo dục"
    profile.longest_job = person.title
    _work_history(profile, person)

    # VI has no rows for these people; VII
    _annual_results(profile, person, refs)

    # VIII
    _party(profile, person, refs, d)

    # IX, X, XI
    profile.arrest_history = "Không"
    profile.salary_income = yearly_income(profile)
    profile.houses.append(
        House(
            acquisition="tu_mua_xay",
            house_type=pick(("Nhà ở riêng lẻ 3 tầng", "Căn hộ chung cư", "Nhà cấp 4"), "house", person.full_name),
            floor_area_m2=Decimal(60 + d % 90),
            ownership_certificate="Đã được cấp Giấy chứng nhận",
            address=profile.current_address_legacy,
        )
    )
    profile.health_status = "Tốt"
    profile.height_cm = (158 if person.sex == "nu" else 166) + d % 9
    profile.weight_kg = (48 if person.sex == "nu" else 58) + d % 13
    profile.blood_group = refs.code("blood_groups", pick(("O", "A", "B", "AB", "O"), "blood", person.full_name))
    add_family(profile, person, refs)


def _party(profile: Profile, person: Person, refs: Refs, d: int) -> None:
    """Đoàn from 15; Party membership for every leader and a third of the others, 3 years after recruitment."""
    profile.first_org_joined_on = date(person.birth_date.year + 15, 3, 26)
    profile.first_org = refs.code("sociopolitical_orgs", "doan_tncs", "chinh_tri_xa_hoi")
    profile.org_activities.append(
        OrgActivity(
            sort_order=0,
            org=profile.first_org,
            unit="Chi đoàn trường trung học phổ thông",
            role="Đoàn viên",
            **period(month_text(profile.first_org_joined_on), month_text(date(person.birth_date.year + 18, 6, 1))),
        )
    )
    joined = date(person.recruited.year + 3, 5, 19)
    if not (person.position or d % 3 == 0) or date(joined.year + 1, 5, 19) > AS_OF:
        return
    profile.is_party_member = True
    profile.party_joined_on = joined
    profile.party_official_on = date(joined.year + 1, joined.month, joined.day)
    profile.party_cell = f"Chi bộ {UNIT_SPECS[person.unit].name}"
    profile.org_activities.append(
        OrgActivity(
            sort_order=1,
            org=refs.code("sociopolitical_orgs", "dang", "dang"),
            unit=profile.party_cell,
            role="Đảng viên",
            **period(month_text(joined)),
        )
    )


def _position_group(position: str) -> str:
    return "don_vi_su_nghiep" if position in ("hieu_truong", "pho_hieu_truong") else "chinh_quyen"


def _institution(name: str, year: int) -> str:
    for (current, founded), earlier in INSTITUTION_BEFORE.items():
        if name == current and year < founded:
            return earlier
    return name


def _trainings(profile: Profile, person: Person, refs: Refs) -> None:
    rows: list[Training] = []
    graduated = person.recruited.year if person.recruited.month >= 7 else person.recruited.year - 1
    if person.major and person.level in DEGREE_YEARS:
        title = "Kỹ sư" if person.major in ENGINEERING else DEGREE_TITLES[person.level]
        school = INSTITUTIONS[person.major]
        if person.level == "cd":
            school = "Trường Cao đẳng Sư phạm Trung ương"
        rows.append(
            Training(
                kind="chuyen_mon",
                institution=_institution(school, graduated),
                major=person.major,
                study_mode=refs.code("education_levels", "chinh_quy", "hinh_thuc_dao_tao"),
                level=refs.code("education_levels", person.level, "chuyen_mon"),
                certificate=f"{title} {person.major}",
                **period(f"09/{graduated - DEGREE_YEARS[person.level]}", f"06/{graduated}"),
            )
        )
    if person.master:
        start = min(person.recruited.year + 6, AS_OF.year - 3)
        rows.append(
            Training(
                kind="chuyen_mon",
                institution=INSTITUTIONS[person.master],
                major=person.master,
                study_mode=refs.code("education_levels", "vua_lam_vua_hoc", "hinh_thuc_dao_tao"),
                level=refs.code("education_levels", "ths", "chuyen_mon"),
                certificate=f"Thạc sĩ {person.master}",
                **period(f"10/{start}", f"10/{start + 2}"),
            )
        )
    if person.staff_type != "nguoi_lao_dong":
        rows.append(_politics_training(person, refs))
    if person.staff_type in ("cong_chuc", "can_bo") and person.rank:
        senior_rank = person.rank in ("01.002", "06.030")
        year = person.promoted[1].year - 1 if senior_rank and person.promoted else person.recruited.year + 1
        rows.append(
            Training(
                kind="boi_duong",
                institution=LE_HONG_PHONG if not senior_rank else "Học viện Hành chính Quốc gia",
                level=refs.code("education_levels", "cvc" if senior_rank else "cv", "quan_ly_nha_nuoc"),
                certificate="Chứng chỉ bồi dưỡng ngạch " + ("chuyên viên chính" if senior_rank else "chuyên viên"),
                **period(str(year), str(year)),
            )
        )
    rows.append(
        Training(
            kind="tin_hoc",
            institution="Trung tâm Tin học, Trường Đại học Khoa học Tự nhiên, Đại học Quốc gia Hà Nội",
            level=refs.code("education_levels", "cntt_co_ban", "tin_hoc"),
            certificate="Chứng chỉ Ứng dụng công nghệ thông tin cơ bản",
            **period(str(max(graduated, 2015)), str(max(graduated, 2015))),
        )
    )
    for order, row in enumerate(rows):
        row.sort_order = order
        profile.trainings.append(row)


def _politics_training(person: Person, refs: Refs) -> Training:
    """Lý luận chính trị: cao cấp for district leaders, trung cấp for other leaders, sơ cấp for the rest."""
    senior = person.position in ("chu_tich_ubnd", "pho_chu_tich_ubnd") and person.unit in ("GL", "BD")
    level = "cao_cap" if senior else "trung_cap" if person.position else "so_cap"
    year = max(person.recruited.year + 2, person.appointed.year - 2 if person.appointed else 0)
    year = min(year, AS_OF.year - 2)
    institution = {
        "cao_cap": "Học viện Chính trị quốc gia Hồ Chí Minh",
        "trung_cap": LE_HONG_PHONG,
    }.get(level, f"Trung tâm Chính trị {person.district}")
    return Training(
        kind="ly_luan_chinh_tri",
        institution=institution,
        study_mode=refs.code("education_levels", "khong_tap_trung", "hinh_thuc_dao_tao"),
        level=refs.code("education_levels", level, "ly_luan_chinh_tri"),
        **period(f"03/{year}", f"05/{year}" if level == "so_cap" else f"06/{year + 1}"),
    )


def _work_history(profile: Profile, person: Person) -> None:
    unit = UNIT_SPECS[person.unit]
    start = month_text(person.recruited)
    if person.position and person.appointed and person.appointed > person.recruited:
        earlier = {"truong": "Giáo viên", "xa": "Công chức"}.get(unit.kind, "Chuyên viên")
        profile.work_history.append(
            WorkHistory(
                sort_order=0,
                unit=unit.long_name,
                title=earlier,
                **period(start, month_text(add_months(person.appointed, -1))),
            )
        )
        profile.work_history.append(
            WorkHistory(sort_order=1, unit=unit.long_name, title=person.title, **period(month_text(person.appointed)))
        )
    else:
        profile.work_history.append(WorkHistory(sort_order=0, unit=unit.long_name, title=person.title, **period(start)))


def _annual_results(profile: Profile, person: Person, refs: Refs) -> None:
    for year in (2022, 2023, 2024):
        if person.recruited > date(year, 6, 30):  # fewer than 6 months of work that year: not rated
            continue
        key = (str(year), person.full_name)
        rating = pick(("httnv", "httnv", "htxsnv", "httnv", "htnv"), *key)
        if person.position and year != 2022:
            rating = "htxsnv"
        result = AnnualResult(year=year, professional_rating=refs.code("evaluation_levels", rating), awards=[])
        if rating in ("httnv", "htxsnv"):
            title = "cstd_co_so" if rating == "htxsnv" and person.position else "lao_dong_tien_tien"
            result.emulation_title = refs.code("rewards", title, "danh_hieu_thi_dua")
        if rating == "htxsnv":
            result.awards = [refs.code("rewards", "giay_khen", "hinh_thuc_khen_thuong")]
            result.award_details = f"Chủ tịch UBND {person.district}, QĐ số {100 + digest(*key) % 900}/QĐ-UBND"
        profile.annual_results.append(result)
