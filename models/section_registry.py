"""The 11 profile sections as data: fields, labels, types and reference lists (SECTIONS.md).

One source for the section views, the completeness rules, the history diff and the print
snapshot, so a label or a field is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.sections.economy import HOUSE_ACQUISITIONS, LAND_ACQUISITIONS
from models.sections.family import FAMILY_SIDES
from models.sections.rewards import DISCIPLINE_SCOPES
from models.sections.salary import ALLOWANCE_BASES

SEX_CHOICES = {"nam": "Nam", "nu": "Nữ"}
TRAINING_KIND_LABELS = {
    "chuyen_mon": "Chuyên môn",
    "ly_luan_chinh_tri": "Lý luận chính trị",
    "boi_duong": "Bồi dưỡng QLNN/CDNN/nghiệp vụ",
    "quoc_phong_an_ninh": "Quốc phòng, an ninh",
    "tin_hoc": "Tin học",
    "ngoai_ngu": "Ngoại ngữ/tiếng dân tộc",
}


@dataclass(frozen=True)
class Field:
    """One declared value. `type` follows SECTIONS.md (text, longtext, int, dec, money, bool, date,
    pdate, year, choice, multi, enum, org, image, address); `ref` names the reference list (and kind)
    of coded fields; `required` is "yes", "if" (conditional, decided in models.rules) or "no"."""

    name: str
    label: str
    type: str = "text"
    required: str = "no"
    ref: str | None = None
    ref_kind: str = ""
    enum: dict[str, str] | None = None
    max_length: int | None = None
    hr_only: bool = False
    assessor_only: bool = False
    help: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Database columns behind this field (an address has four, a partial date two)."""
        if self.type == "address":
            return tuple(f"{self.name}_{p}" for p in ("province", "commune", "detail", "legacy"))
        if self.type == "pdate":
            return (self.name, f"{self.name}_precision")
        return (self.name,)


@dataclass(frozen=True)
class Table:
    name: str  # Profile relationship and table name
    title: str
    columns: tuple[Field, ...]
    item: str = ""  # 2C item


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    title: str
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    hint: str | None = None
    groups: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


F = Field

BASIC = Section(
    "basic",
    "I",
    "Thông tin cơ bản",
    fields=(
        F("staff_type", "Loại cán bộ", "choice", "yes", ref="staff_types"),
        F("org_unit_id", "Đơn vị/Phòng ban", "org", "yes", hr_only=True),
        F("managing_agency_id", "Cơ quan quản lý", "org", "yes", hr_only=True),
        F("staff_number", "Số hiệu CBCCVC", max_length=20, hr_only=True),
        F("bnv_identifier", "Mã số định danh", max_length=30, hr_only=True),
        F("full_name", "Họ và tên khai sinh", required="yes", max_length=100),
        F("sex", "Giới tính", "enum", "yes", enum=SEX_CHOICES),
        F("other_names", "Các tên gọi khác"),
        F("birth_date", "Ngày sinh", "date", "yes"),
        F("birth_place", "Nơi sinh", "address", "yes"),
        F("hometown", "Quê quán", "address", "yes"),
        F("ethnicity", "Dân tộc", "choice", "yes", ref="ethnic_groups"),
        F("religion", "Tôn giáo", "choice", "yes", ref="religions"),
        F("id_number", "Số CCCD", required="yes", max_length=12, hr_only=True),
        F("id_issued_on", "Ngày cấp", "date", "yes"),
        F("id_issued_by", "Nơi cấp"),
        F("phone", "SĐT liên hệ", max_length=15),
        F("email", "Email", max_length=254),
        F("social_insurance_number", "Số BHXH", max_length=10),
        F("health_insurance_number", "Số thẻ BHYT", max_length=15),
        F("current_address", "Nơi ở hiện nay", "address", "yes"),
        F("permanent_address", "Nơi thường trú", "address"),
        F("policy_groups", "Đối tượng chính sách", "multi", ref="policy_groups"),
    ),
)

SALARY = Section(
    "salary",
    "II",
    "Thông tin lương, phụ cấp",
    fields=(
        F("rank_code", "Ngạch/Chức danh nghề nghiệp", "choice", "if", ref="ranks"),
        F("rank_appointed_on", "Ngày bổ nhiệm ngạch/chức danh nghề nghiệp", "date"),
        F("salary_step", "Bậc lương", "int", "if"),
        F("salary_coefficient", "Hệ số lương", "dec", "if"),
        F("salary_since", "Ngày hưởng", "date", "if"),
        F("salary_percent", "Phần trăm hưởng (%)", "int"),
        F("seniority_allowance_percent", "Phụ cấp thâm niên vượt khung (%)", "int"),
        F("seniority_allowance_since", "Ngày hưởng PCTNVK", "date", "if"),
        F("position_allowance", "Phụ cấp chức vụ (hệ số)", "dec"),
        F("concurrent_allowance_percent", "Phụ cấp kiêm nhiệm (%)", "int"),
        F("other_allowances", "Phụ cấp khác"),
        F("job_position", "Vị trí việc làm"),
        F("job_position_code", "Mã số vị trí việc làm", max_length=20),
        F("job_salary_step", "Bậc lương (theo vị trí việc làm)", "int"),
        F("job_salary_amount", "Lương theo mức tiền (đồng)", "money"),
        F("job_salary_since", "Ngày hưởng (lương theo vị trí việc làm)", "date", "if"),
        F("job_salary_percent", "Phần trăm hưởng (%) (theo vị trí việc làm)", "int"),
        F("job_seniority_percent", "Phụ cấp thâm niên vượt khung (%) (theo vị trí việc làm)", "int"),
        F("job_seniority_since", "Ngày hưởng PCTNVK (theo vị trí việc làm)", "date", "if"),
    ),
    tables=(
        Table(
            "salary_history",
            "Quá trình lương",
            (
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("rank_code", "Mã ngạch/chức danh", "choice", "if", ref="ranks"),
                F("job_position_code", "Mã vị trí việc làm", max_length=20),
                F("salary_step", "Bậc lương", "int", "if"),
                F("salary_coefficient", "Hệ số lương", "dec", "if"),
                F("job_salary_amount", "Tiền lương theo vị trí việc làm", "money"),
            ),
            "37.1",
        ),
        Table(
            "allowances",
            "Các loại phụ cấp khác",
            (
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("allowance_type", "Loại phụ cấp", "choice", "yes", ref="allowance_types"),
                F("percent", "Phần trăm hưởng", "dec"),
                F("coefficient", "Hệ số", "dec"),
                F("basis", "Hình thức hưởng", "enum", enum=ALLOWANCE_BASES),
                F("amount", "Giá trị (đồng)", "money"),
            ),
            "37.2",
        ),
    ),
)

FAMILY = Section(
    "family",
    "III",
    "Quan hệ gia đình",
    tables=(
        Table(
            "family_members",
            "Quan hệ gia đình",
            (
                F("relation", "Mối quan hệ", "choice", "yes", ref="family_relations"),
                F("full_name", "Họ và tên", required="yes", max_length=100),
                F("birth_year", "Năm sinh", "year", "yes"),
                F("is_deceased", "Đã mất", "bool"),
                F("death_year", "Năm mất", "year"),
                F("hometown", "Quê quán"),
                F("occupation", "Nghề nghiệp"),
                F("workplace", "Chức danh, chức vụ, đơn vị công tác, học tập"),
                F("residence", "Nơi ở (trong, ngoài nước)"),
                F("lives_abroad", "Ở nước ngoài", "bool"),
                F("political_orgs", "Thành viên các tổ chức chính trị - xã hội (trong, ngoài nước)"),
                F("past_record", "Làm việc cho chế độ cũ, tiền án, tiền sự (nếu có)"),
            ),
            "36",
        ),
    ),
)

EDUCATION = Section(
    "education",
    "IV",
    "Trình độ đào tạo, chứng chỉ, bồi dưỡng",
    fields=(
        F(
            "general_education",
            "Trình độ giáo dục phổ thông",
            "choice",
            "yes",
            ref="education_levels",
            ref_kind="giao_duc_pho_thong",
        ),
        F(
            "highest_qualification",
            "Trình độ chuyên môn cao nhất",
            "choice",
            "yes",
            ref="education_levels",
            ref_kind="chuyen_mon",
        ),
        F("highest_qualification_major", "Chuyên ngành", required="if"),
        F("academic_title", "Học hàm", "choice", ref="education_levels", ref_kind="hoc_ham"),
        F("academic_title_year", "Năm phong học hàm", "year", "if"),
    ),
    tables=(
        Table(
            "trainings",
            "Quá trình đào tạo, bồi dưỡng",
            (
                F("kind", "Loại", "enum", "yes", enum=TRAINING_KIND_LABELS),
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("institution", "Tên cơ sở đào tạo", required="yes"),
                F("major", "Chuyên ngành đào tạo", required="if"),
                F(
                    "study_mode",
                    "Hình thức đào tạo",
                    "choice",
                    "if",
                    ref="education_levels",
                    ref_kind="hinh_thuc_dao_tao",
                ),
                F("level", "Trình độ", "choice", "if", ref="education_levels"),
                F("certificate", "Văn bằng, chứng chỉ"),
                F("language", "Tên ngoại ngữ/tiếng dân tộc", "choice", "if", ref="languages"),
                F("score", "Điểm số", max_length=20),
            ),
            "32",
        ),
    ),
)

EMPLOYMENT = Section(
    "employment",
    "V",
    "Tuyển dụng, quá trình công tác",
    fields=(
        F("family_background", "Thành phần gia đình xuất thân", "choice", ref="family_backgrounds"),
        F("occupation_before_recruitment", "Nghề nghiệp trước khi được tuyển dụng"),
        F("first_recruited_on", "Ngày được tuyển dụng lần đầu", "date", "yes"),
        F("first_recruiting_agency", "Cơ quan, tổ chức, đơn vị tuyển dụng", required="yes"),
        F("joined_current_agency_on", "Ngày vào cơ quan hiện đang công tác", "date", "yes"),
        F("employment_kind", "Hình thức làm việc", "choice", ref="employment_kinds"),
        F("current_position", "Chức vụ hiện tại", "choice", ref="positions"),
        F("current_position_title", "Chức vụ (ghi đầy đủ)"),
        F("position_appointed_on", "Ngày bổ nhiệm/ngày phê chuẩn", "date", "if"),
        F("position_reappointed_on", "Ngày bổ nhiệm lại/phê chuẩn nhiệm kỳ tiếp theo", "date"),
        F("planned_positions", "Được quy hoạch chức danh"),
        F("main_duties", "Công việc chính được giao", "longtext", "yes"),
        F("work_strengths", "Sở trường công tác"),
        F("longest_job", "Công việc làm lâu nhất"),
    ),
    tables=(
        Table(
            "concurrent_positions",
            "Chức vụ kiêm nhiệm",
            (
                F("position", "Chức vụ", "choice", "yes", ref="positions"),
                F("title", "Ghi đầy đủ"),
                F("appointed_on", "Ngày bổ nhiệm", "date"),
            ),
            "25",
        ),
        Table(
            "work_history",
            "Tóm tắt quá trình công tác",
            (
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("unit", "Đơn vị công tác (đảng, chính quyền, đoàn thể, tổ chức xã hội)", required="yes"),
                F("title", "Chức danh/chức vụ"),
            ),
            "33",
        ),
    ),
)

REWARDS = Section(
    "rewards_discipline",
    "VI",
    "Khen thưởng, kỷ luật",
    hint="Thành tích thi đua, khen thưởng hằng năm khai ở mục VII",
    tables=(
        Table(
            "state_titles",
            "Danh hiệu nhà nước phong tặng",
            (
                F("title", "Danh hiệu", "choice", "yes", ref="state_titles"),
                F("year", "Năm phong tặng", "year", "yes"),
                F("decision", "Số, ngày quyết định"),
            ),
            "22",
        ),
        Table(
            "disciplines",
            "Kỷ luật Đảng/hành chính",
            (
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("scope", "Cấp kỷ luật", "enum", "yes", enum=DISCIPLINE_SCOPES),
                F("form", "Hình thức", "choice", "yes", ref="disciplines"),
                F("violation", "Hành vi vi phạm chính", required="yes"),
                F("decided_by", "Cơ quan quyết định", required="yes"),
                F("decision", "Số, ngày quyết định"),
            ),
            "35.2",
        ),
    ),
)

ASSESSMENT = Section(
    "assessment",
    "VII",
    "Kết quả đánh giá, phân loại",
    fields=(
        F(
            "agency_assessment",
            "Nhận xét, đánh giá của cơ quan, tổ chức, đơn vị sử dụng",
            "longtext",
            assessor_only=True,
        ),
    ),
    tables=(
        Table(
            "annual_results",
            "Thành tích thi đua, khen thưởng và xếp loại theo năm",
            (
                F("year", "Năm", "year", "yes"),
                F("professional_rating", "Xếp loại chuyên môn", "choice", "yes", ref="evaluation_levels"),
                F("emulation_title", "Xếp loại thi đua", "choice", ref="rewards", ref_kind="danh_hieu_thi_dua"),
                F("awards", "Hình thức khen thưởng", "multi", ref="rewards", ref_kind="hinh_thuc_khen_thuong"),
                F("award_details", "Cấp khen, số quyết định"),
            ),
            "35.1",
        ),
    ),
)

PARTY = Section(
    "party_union",
    "VIII",
    "Thông tin Đảng, Đoàn",
    fields=(
        F("is_party_member", "Là đảng viên", "bool"),
        F("party_joined_on", "Ngày vào Đảng Cộng sản Việt Nam", "date", "if"),
        F("party_official_on", "Ngày chính thức", "date"),
        F("party_card_number", "Số thẻ đảng viên", max_length=20),
        F("party_card_issued_on", "Ngày cấp thẻ", "date"),
        F("party_cell", "Chi bộ/Đảng bộ đang sinh hoạt"),
        F("party_position", "Chức vụ Đảng hiện tại", "choice", ref="party_positions"),
        F("party_position_title", "Chức vụ Đảng (ghi đầy đủ)"),
        F("first_org_joined_on", "Ngày tham gia tổ chức chính trị - xã hội đầu tiên", "date"),
        F("first_org", "Tổ chức tham gia đầu tiên", "choice", "if", ref="sociopolitical_orgs"),
    ),
    tables=(
        Table(
            "party_concurrent_positions",
            "Chức vụ Đảng kiêm nhiệm",
            (
                F("position", "Chức vụ", "choice", "yes", ref="party_positions"),
                F("title", "Ghi đầy đủ"),
                F("appointed_on", "Ngày bổ nhiệm", "date"),
            ),
            "27",
        ),
        Table(
            "org_activities",
            "Quá trình sinh hoạt Đảng, đoàn thể",
            (
                F("org", "Tổ chức", "choice", "yes", ref="sociopolitical_orgs"),
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("unit", "Chi bộ, chi đoàn, công đoàn bộ phận…", required="yes"),
                F("role", "Chức vụ, công việc trong tổ chức"),
            ),
        ),
    ),
)

PERSONAL = Section(
    "personal_history",
    "IX",
    "Đặc điểm lịch sử bản thân, mục tiêu, sở thích",
    fields=(
        F(
            "arrest_history",
            "Bị bắt, bị tù, đã khai báo cho ai, những vấn đề gì",
            "longtext",
            help="Ghi 'Không' nếu không có.",
        ),
        F("goals", "Mục tiêu", "longtext"),
        F("hobbies", "Sở thích", "longtext"),
    ),
    tables=(
        Table(
            "old_regime_work",
            "Bản thân có làm việc cho chế độ cũ",
            (
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("description", "Chức danh, chức vụ, đơn vị, địa điểm đã làm việc", required="yes"),
            ),
            "34.2",
        ),
        Table(
            "foreign_organizations",
            "Tham gia hoặc có quan hệ với các tổ chức chính trị, kinh tế, xã hội ở nước ngoài",
            (
                F("from_date", "Từ tháng/năm", "pdate", "yes"),
                F("to_date", "Đến tháng/năm", "pdate"),
                F("description", "Tên tổ chức, địa chỉ trụ sở, công việc đã làm", required="yes"),
            ),
            "34.3",
        ),
    ),
)

ECONOMY = Section(
    "economy",
    "X",
    "Hoàn cảnh kinh tế gia đình",
    fields=(
        F("salary_income", "Tiền lương (thu nhập của gia đình/năm, đồng)", "money"),
        F("other_income", "Các nguồn thu nhập khác"),
        F("production_land", "Đất sản xuất, kinh doanh"),
    ),
    tables=(
        Table(
            "houses",
            "Nhà ở",
            (
                F("acquisition", "Nguồn gốc", "enum", "yes", enum=HOUSE_ACQUISITIONS),
                F("house_type", "Loại nhà", required="yes", max_length=100),
                F("floor_area_m2", "Tổng diện tích sử dụng (m2)", "dec", "yes"),
                F("ownership_certificate", "Giấy chứng nhận quyền sở hữu"),
                F("address", "Địa chỉ"),
            ),
        ),
        Table(
            "lands",
            "Đất ở",
            (
                F("acquisition", "Nguồn gốc", "enum", "yes", enum=LAND_ACQUISITIONS),
                F("area_m2", "Diện tích (m2)", "dec", "yes"),
                F("use_certificate", "Giấy chứng nhận quyền sử dụng"),
                F("address", "Địa chỉ"),
            ),
        ),
    ),
)

OTHER = Section(
    "other",
    "XI",
    "Thông tin khác",
    fields=(
        F("health_status", "Tình trạng sức khỏe", max_length=100),
        F("height_cm", "Chiều cao (cm)", "int"),
        F("weight_kg", "Cân nặng (kg)", "int"),
        F("blood_group", "Nhóm máu", "choice", ref="blood_groups"),
        F("enlisted_on", "Ngày nhập ngũ", "pdate"),
        F("discharged_on", "Ngày xuất ngũ", "pdate"),
        F("highest_military_rank", "Quân hàm cao nhất", "choice", ref="military_ranks"),
        F("other_notes", "Ghi chú khác", "longtext"),
    ),
)

SECTIONS: tuple[Section, ...] = (
    BASIC,
    SALARY,
    FAMILY,
    EDUCATION,
    EMPLOYMENT,
    REWARDS,
    ASSESSMENT,
    PARTY,
    PERSONAL,
    ECONOMY,
    OTHER,
)
SECTIONS_BY_KEY = {s.key: s for s in SECTIONS}

FAMILY_SIDE_LABELS = FAMILY_SIDES


def field_spec(section_key: str, name: str) -> Field:
    for f in SECTIONS_BY_KEY[section_key].fields:
        if f.name == name:
            return f
    raise KeyError(name)


def table_spec(name: str) -> tuple[Section, Table]:
    for section in SECTIONS:
        for table in section.tables:
            if table.name == name:
                return section, table
    raise KeyError(name)


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    address_parts = {
        "province": "Tỉnh/Thành phố",
        "commune": "Xã/Phường",
        "detail": "Số nhà, đường",
        "legacy": "Địa giới cũ",
    }
    fields: dict[str, str] = {}
    tables: dict[str, str] = {}
    for section in SECTIONS:
        for spec in section.fields:
            if spec.type == "address":
                for part, text in address_parts.items():
                    fields[f"{spec.name}_{part}"] = f"{spec.label} – {text}"
            else:
                for column in spec.columns:
                    fields[column] = spec.label
        for table in section.tables:
            tables[table.name] = table.title
    return fields, tables


# Column -> label and table -> title, for history and change views.
FIELD_LABELS, TABLE_TITLES = _labels()
