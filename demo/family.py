"""III. Quan hệ gia đình for the demo employees: parents, and for those born by 1993 a spouse, children
and a parent-in-law; names, years and jobs follow from the employee's name and birth year."""

from __future__ import annotations

from demo.common import AS_OF, Refs, digest, pick
from demo.people import BA_DINH_HOMES, GIA_LAM_HOMES, Person
from models.profile import Profile
from models.sections import FamilyMember

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Phan", "Đinh")
MALE_MIDDLE = ("Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Ngọc", "Công", "Thanh")
MALE_GIVEN = ("Hùng", "Thanh", "Sơn", "Hải", "Bình", "Lâm", "Phong", "Quý", "Chiến", "Lộc", "Nghĩa", "Trung", "Tùng")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị Thu", "Thị Minh", "Thị Ngọc", "Thị Thanh")
FEMALE_GIVEN = ("Lan", "Hoa", "Hương", "Mai", "Liên", "Nga", "Thoa", "Hiền", "Tuyết", "Loan", "Dung", "Hằng", "Yến")
CHILD_GIVEN = {
    "nam": ("Minh Khang", "Gia Bảo", "Đức Anh", "Quang Huy", "Tuấn Kiệt", "Bảo Nam"),
    "nu": ("Bảo Ngọc", "Khánh Linh", "Minh Châu", "Hà My", "Thảo Vy", "Ngọc Diệp"),
}
OLD_OCCUPATIONS = ("Nông dân", "Cán bộ hưu trí", "Công nhân nghỉ hưu", "Giáo viên nghỉ hưu", "Quân nhân nghỉ hưu")
OLD_OCCUPATIONS_F = ("Nông dân", "Cán bộ hưu trí", "Công nhân nghỉ hưu", "Giáo viên nghỉ hưu", "Nội trợ")
MIDDLE_AGED_OCCUPATIONS = ("Nông dân", "Kinh doanh tự do", "Công nhân", "Nhân viên văn phòng")
SPOUSE_JOBS = (
    ("Giáo viên", "Trường Tiểu học Trâu Quỳ, huyện Gia Lâm"),
    ("Kỹ sư xây dựng", "Công ty Cổ phần Đầu tư và Xây dựng Hà Nội"),
    ("Nhân viên ngân hàng", "Ngân hàng TMCP Ngoại thương Việt Nam – Chi nhánh Long Biên"),
    ("Bác sĩ", "Bệnh viện Đa khoa Đức Giang"),
    ("Kế toán", "Công ty TNHH Thương mại và Dịch vụ Gia Lâm"),
    ("Kinh doanh tự do", "Tự kinh doanh"),
    ("Công chức", "UBND quận Long Biên, TP Hà Nội"),
)


def add_family(profile: Profile, person: Person, refs: Refs) -> None:
    """Rows in 36.1 / 36.2 order; no Con is born before the employee turned 26, no Vợ/Chồng side without a spouse."""
    name = person.full_name
    year = person.birth_date.year
    father_year = year - 26 - digest("fy", name) % 6
    mother_year = father_year + 2 + digest("my", name) % 4
    rows = [
        _member(
            refs,
            "cha",
            f"{person.surname} {pick(MALE_MIDDLE, 'fm', name)} {pick(MALE_GIVEN, 'fg', name)}",
            father_year,
            hometown=person.home,
            occupation=pick(OLD_OCCUPATIONS if father_year < 1965 else MIDDLE_AGED_OCCUPATIONS, "fo", name),
            death_year=2008 + digest("fd", name) % 14 if father_year < 1950 else None,
            residence=None if father_year < 1950 else person.home,
        ),
        _member(
            refs,
            "me",
            f"{_other_surname(person, 'ms')} {pick(FEMALE_MIDDLE, 'mm', name)} {pick(FEMALE_GIVEN, 'mg', name)}",
            mother_year,
            hometown=person.home,
            occupation=pick(OLD_OCCUPATIONS_F if mother_year < 1965 else MIDDLE_AGED_OCCUPATIONS, "mo", name),
            residence=person.home,
        ),
    ]
    if year <= 1993:  # married, one or two children
        wife = person.sex == "nam"
        spouse_surname = _other_surname(person, "ss")
        if wife:
            spouse = f"{spouse_surname} {pick(FEMALE_MIDDLE, 'sm', name)} {pick(FEMALE_GIVEN, 'sg', name)}"
        else:
            spouse = f"{spouse_surname} {pick(MALE_MIDDLE, 'sm', name)} {pick(MALE_GIVEN, 'sg', name)}"
        job, workplace = pick(SPOUSE_JOBS, "sj", name)
        rows.append(
            _member(
                refs,
                "vo" if wife else "chong",
                spouse,
                year + (1 if wife else -2),
                occupation=job,
                workplace=workplace,
                residence=person.current_home,
            )
        )
        child_surname = person.surname if wife else spouse_surname
        first_child = year + 26 + digest("c1", name) % 4
        for n, born in enumerate((first_child, first_child + 4)):
            if born > 2022:
                break
            sex = pick(("nam", "nu"), f"c{n}s", name)
            rows.append(
                _member(
                    refs,
                    "con",
                    f"{child_surname} {pick(CHILD_GIVEN[sex], f'c{n}g', name)}",
                    born,
                    occupation=_child_occupation(AS_OF.year - born),
                    residence="Ở cùng gia đình",
                )
            )
        in_law_side = "vo" if wife else "chong"
        rows.append(
            _member(
                refs,
                f"cha_{in_law_side}",
                f"{spouse_surname} {pick(MALE_MIDDLE, 'ifm', name)} {pick(MALE_GIVEN, 'ifg', name)}",
                year - 27,
                occupation=pick(OLD_OCCUPATIONS, "ifo", name),
                residence=pick(GIA_LAM_HOMES + BA_DINH_HOMES, "ifr", name),
            )
        )
    for order, row in enumerate(rows):
        row.sort_order = order
        profile.family_members.append(row)


def _child_occupation(age: int) -> str:
    if age < 6:
        return "Còn nhỏ"
    if age < 18:
        return "Học sinh"
    return "Sinh viên" if age < 23 else "Nhân viên văn phòng"


def _other_surname(person: Person, salt: str) -> str:
    return pick([s for s in SURNAMES if s != person.surname], salt, person.full_name)


def _member(refs: Refs, relation: str, full_name: str, birth_year: int, **values: object) -> FamilyMember:
    """A family row whose side comes from the relation's list entry, as the form derives it."""
    death_year = values.pop("death_year", None)
    return FamilyMember(
        relation=relation,
        side=refs.relation_side(relation),
        full_name=full_name,
        birth_year=birth_year,
        is_deceased=death_year is not None,
        death_year=death_year,
        **values,
    )
