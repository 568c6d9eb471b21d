"""Who works where in the demo: the staff behind the demo logins and the other employees.

Each person is a small record; demo/profiles.py turns it into a profile whose details (salary
steps, family, annual results…) follow from these few facts, so they stay consistent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from demo.common import cccd_number, digest, pick

# Where people who were not born in Hà Nội live now, near their unit (old administrative units).
GIA_LAM_HOMES = (
    "thị trấn Trâu Quỳ, huyện Gia Lâm, TP Hà Nội",
    "phường Đức Giang, quận Long Biên, TP Hà Nội",
    "xã Đa Tốn, huyện Gia Lâm, TP Hà Nội",
    "phường Thạch Bàn, quận Long Biên, TP Hà Nội",
)
BA_DINH_HOMES = (
    "phường Ngọc Hà, quận Ba Đình, TP Hà Nội",
    "phường Liễu Giai, quận Ba Đình, TP Hà Nội",
    "phường Dịch Vọng, quận Cầu Giấy, TP Hà Nội",
    "phường Láng Thượng, quận Đống Đa, TP Hà Nội",
)


@dataclass(frozen=True)
class Person:
    full_name: str
    sex: str  # "nam" / "nu"
    birth_date: date
    province: str  # CCCD province code (3 digits) of the birth registration; also the birth place
    home: str  # quê quán, written with the units before 01/7/2025
    unit: str  # org unit code
    staff_type: str
    rank: str | None
    recruited: date
    title: str  # chức danh in the current unit, as printed
    major: str | None  # major of the first degree (None below Trung cấp)
    level: str = "dh"  # education_levels chuyen_mon code of that degree
    master: str | None = None  # major of a master's degree, if any
    position: str | None = None  # positions.csv code
    appointed: date | None = None  # appointment to `position`
    promoted: tuple[str, date] | None = None  # previous rank code, date the current rank began
    status: str = "draft"  # target workflow state
    note: str | None = None  # the approver's note for a rejected profile
    ethnicity: str = "01"
    religion: str = "00"
    fixed_cccd: str | None = None  # the demo logins have fixed, documented numbers
    duties: str | None = None
    identity_only: bool = False  # a brand-new account: nothing declared yet

    @property
    def cccd(self) -> str:
        """Fixed for the demo logins; otherwise derived from the name, so it never changes between runs."""
        return self.fixed_cccd or cccd_number(self.province, self.birth_date, self.sex, digest("cccd", self.full_name))

    @property
    def surname(self) -> str:
        return self.full_name.split()[0]

    @property
    def district(self) -> str:
        return "quận Ba Đình" if self.unit.startswith("BD") else "huyện Gia Lâm"

    @property
    def current_home(self) -> str:
        """Nơi ở hiện nay: the home town when it is in Hà Nội, else a place near the unit."""
        if self.home.endswith("TP Hà Nội"):
            return self.home
        return pick(BA_DINH_HOMES if self.unit.startswith("BD") else GIA_LAM_HOMES, "home", self.full_name)


# The employee of the user guide: first login with the default password Thuy1234@.
THUY = Person(
    "Bùi Thị Thủy",
    "nu",
    date(1985, 8, 12),
    "038",
    "xã Hoằng Lộc, huyện Hoằng Hóa, tỉnh Thanh Hóa",
    "GL-BT",
    "cong_chuc",
    "01.003",
    date(2009, 10, 1),
    "Công chức Văn phòng – Thống kê",
    "Quản trị văn phòng",
    fixed_cccd="038185011234",
    identity_only=True,
)

# Staff behind the role logins (demo/seed.py DEMO_LOGINS), keyed by CCCD. Every approver is also an employee.
STAFF: dict[str, Person] = {
    p.cccd: p
    for p in (
        Person(
            "Đặng Minh Tuấn",
            "nam",
            date(1979, 3, 12),
            "001",
            "xã Dương Hà, huyện Gia Lâm, TP Hà Nội",
            "GL-NV",
            "cong_chuc",
            "01.002",
            date(2002, 9, 1),
            "Phó Trưởng phòng Nội vụ huyện Gia Lâm",
            "Hành chính học",
            master="Quản lý công",
            position="pho_truong_phong",
            appointed=date(2016, 6, 1),
            promoted=("01.003", date(2014, 1, 1)),
            # Nobody approves their own profile: the district's approver waits like everyone else.
            status="pending",
            fixed_cccd="001079003812",
            duties="Giúp Trưởng phòng phụ trách công tác tổ chức bộ máy, biên chế, quản lý hồ sơ cán bộ, "
            "công chức, viên chức; được ủy quyền phê duyệt hồ sơ CBCCVC của các đơn vị thuộc huyện.",
        ),
        Person(
            "Lê Thị Minh Nguyệt",
            "nu",
            date(1982, 11, 20),
            "036",
            "xã Hải Phúc, huyện Hải Hậu, tỉnh Nam Định",
            "BD-NV",
            "cong_chuc",
            "01.002",
            date(2005, 3, 1),
            "Trưởng phòng Nội vụ quận Ba Đình",
            "Luật",
            master="Quản lý nhà nước",
            position="truong_phong",
            appointed=date(2019, 10, 1),
            promoted=("01.003", date(2015, 1, 1)),
            status="pending",
            fixed_cccd="036182007415",
            duties="Phụ trách chung Phòng Nội vụ; tham mưu UBND quận về tổ chức bộ máy, biên chế, "
            "cải cách hành chính; phê duyệt hồ sơ CBCCVC của các đơn vị thuộc quận.",
        ),
        Person(
            "Phạm Thị Hồng Nhung",
            "nu",
            date(1988, 6, 25),
            "034",
            "xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình",
            "GL-NV",
            "cong_chuc",
            "01.003",
            date(2012, 4, 1),
            "Chuyên viên Phòng Nội vụ huyện Gia Lâm",
            "Quản trị nhân lực",
            status="confirmed",
            fixed_cccd="034188009267",
            duties="Quản lý hồ sơ, cơ sở dữ liệu cán bộ, công chức, viên chức của huyện; hướng dẫn, đôn đốc "
            "các đơn vị cập nhật hồ sơ trên phần mềm và tổng hợp báo cáo tiến độ.",
        ),
        Person(
            "Vũ Đức Thịnh",
            "nam",
            date(1990, 2, 14),
            "001",
            "phường Liễu Giai, quận Ba Đình, TP Hà Nội",
            "BD-NV",
            "cong_chuc",
            "01.003",
            date(2014, 7, 1),
            "Chuyên viên Phòng Nội vụ quận Ba Đình",
            "Quản lý nhà nước",
            status="confirmed",
            fixed_cccd="001090011358",
            duties="Quản lý hồ sơ cán bộ, công chức, viên chức của quận; tiếp nhận, hướng dẫn cập nhật hồ sơ "
            "và quản lý tài khoản phần mềm của các đơn vị thuộc quận.",
        ),
        Person(
            "Hoàng Trọng Khải",
            "nam",
            date(1972, 8, 8),
            "030",
            "xã Thanh Hải, huyện Thanh Hà, tỉnh Hải Dương",
            "GL",
            "can_bo",
            "01.002",
            date(1995, 8, 1),
            "Phó Chủ tịch UBND huyện Gia Lâm",
            "Kinh tế nông nghiệp",
            master="Quản lý kinh tế",
            position="pho_chu_tich_ubnd",
            appointed=date(2020, 7, 1),
            promoted=("01.003", date(2008, 1, 1)),
            status="confirmed",
            fixed_cccd="030072005106",
            duties="Giúp Chủ tịch UBND huyện phụ trách khối nội chính, tổ chức bộ máy và cải cách hành chính; "
            "chỉ đạo đồng bộ hồ sơ CBCCVC đã xác nhận lên cổng của Bộ Nội vụ.",
        ),
    )
}


# Everyone else, across Gia Lâm and Ba Đình, in all four workflow states. Xã Cổ Bi is the late unit.
# One person per block; the positional fields follow Person's order (name, sex, birth date, CCCD province,
# quê quán, unit, staff type, rank, recruited on, title, major).
# fmt: off
EMPLOYEES: tuple[Person, ...] = (
    # UBND huyện Gia Lâm
    Person("Trần Quang Vinh", "nam", date(1975, 5, 19), "001", "xã Phù Đổng, huyện Gia Lâm, TP Hà Nội", "GL",
       "can_bo", "01.002", date(1998, 9, 1), "Chủ tịch UBND huyện Gia Lâm", "Luật", master="Quản lý công",
       position="chu_tich_ubnd", appointed=date(2021, 6, 25), promoted=("01.003", date(2010, 1, 1)),
       status="confirmed"),
    # Phòng Nội vụ
    Person("Ngô Thị Thanh Hương", "nu", date(1983, 2, 7), "027", "xã Phật Tích, huyện Tiên Du, tỉnh Bắc Ninh", "GL-NV",
       "cong_chuc", "01.002", date(2006, 3, 1), "Trưởng phòng Nội vụ huyện Gia Lâm", "Quản lý nhà nước",
       master="Quản lý công", position="truong_phong", appointed=date(2019, 3, 1),
       promoted=("01.003", date(2016, 1, 1)), status="confirmed"),
    Person("Dương Văn Toàn", "nam", date(1992, 10, 30), "026", "xã Tam Hồng, huyện Yên Lạc, tỉnh Vĩnh Phúc", "GL-NV",
       "cong_chuc", "01.003", date(2017, 5, 15), "Chuyên viên Phòng Nội vụ huyện Gia Lâm", "Quản lý nhà nước",
       status="confirmed"),
    # Phòng Tài chính – Kế hoạch
    Person("Lê Văn Hưng", "nam", date(1978, 12, 3), "034", "xã Vũ Thắng, huyện Kiến Xương, tỉnh Thái Bình", "GL-TCKH",
       "cong_chuc", "06.030", date(2001, 10, 1), "Trưởng phòng Tài chính – Kế hoạch huyện Gia Lâm", "Kế toán",
       master="Tài chính – Ngân hàng", position="truong_phong", appointed=date(2018, 8, 1),
       promoted=("06.031", date(2012, 1, 1)), status="confirmed"),
    Person("Lý Thị Ngọc Ánh", "nu", date(1990, 7, 22), "001", "xã Dương Xá, huyện Gia Lâm, TP Hà Nội", "GL-TCKH",
       "cong_chuc", "06.031", date(2014, 9, 1), "Chuyên viên Phòng Tài chính – Kế hoạch", "Kế toán",
       status="pending"),
    Person("Đỗ Mạnh Cường", "nam", date(1995, 4, 11), "033", "xã Tân Tiến, huyện Văn Giang, tỉnh Hưng Yên", "GL-TCKH",
       "cong_chuc", "01.003", date(2020, 7, 1), "Chuyên viên Phòng Tài chính – Kế hoạch", "Kinh tế đầu tư",
       status="rejected",
       note="Hệ số lương chưa khớp với quyết định nâng bậc lương gần nhất; đề nghị kiểm tra lại bậc lương, "
       "ngày hưởng và bổ sung chứng chỉ bồi dưỡng ngạch chuyên viên."),
    # Văn phòng HĐND và UBND
    Person("Hồ Thị Mai Phương", "nu", date(1987, 9, 9), "040", "xã Nam Giang, huyện Nam Đàn, tỉnh Nghệ An", "GL-VP",
       "cong_chuc", "01.003", date(2011, 4, 1), "Chuyên viên Văn phòng HĐND và UBND huyện", "Luật",
       status="confirmed"),
    Person("Phan Văn Lợi", "nam", date(1980, 1, 25), "001", "xã Yên Thường, huyện Gia Lâm, TP Hà Nội", "GL-VP",
       "nguoi_lao_dong", "01.010", date(2005, 6, 1), "Lái xe", None, level="sc", status="draft"),
    Person("Đinh Thị Thu Trang", "nu", date(1993, 12, 14), "037", "xã Gia Sinh, huyện Gia Viễn, tỉnh Ninh Bình",
       "GL-VP", "cong_chuc", "02.007", date(2016, 8, 1), "Văn thư Văn phòng HĐND và UBND huyện", "Lưu trữ học",
       promoted=("01.003", date(2022, 1, 1)), status="pending"),
    # Phòng Giáo dục và Đào tạo
    Person("Trịnh Văn Thắng", "nam", date(1976, 6, 2), "038", "xã Thiệu Trung, huyện Thiệu Hóa, tỉnh Thanh Hóa",
       "GL-GDDT", "cong_chuc", "01.002", date(1999, 9, 5), "Phó Trưởng phòng Giáo dục và Đào tạo huyện Gia Lâm",
       "Sư phạm Toán học", master="Quản lý giáo dục", position="pho_truong_phong", appointed=date(2017, 9, 1),
       promoted=("01.003", date(2013, 1, 1)), status="confirmed"),
    Person("Mai Thị Hạnh", "nu", date(1989, 3, 28), "035", "xã Nhân Hậu, huyện Lý Nhân, tỉnh Hà Nam", "GL-GDDT",
       "cong_chuc", "01.003", date(2013, 10, 1), "Chuyên viên Phòng Giáo dục và Đào tạo", "Sư phạm Ngữ văn",
       status="draft"),
    # UBND xã Bát Tràng
    Person("Nguyễn Văn Bình", "nam", date(1974, 11, 11), "001", "xã Bát Tràng, huyện Gia Lâm, TP Hà Nội", "GL-BT",
       "can_bo", "01.003", date(1997, 7, 1), "Chủ tịch UBND xã Bát Tràng", "Luật", position="chu_tich_ubnd",
       appointed=date(2021, 7, 1), status="confirmed"),
    Person("Phạm Thị Thu Hằng", "nu", date(1991, 5, 5), "001", "xã Kim Lan, huyện Gia Lâm, TP Hà Nội", "GL-BT",
       "cong_chuc", "06.031", date(2015, 3, 1), "Công chức Tài chính – Kế toán", "Kế toán", status="pending"),
    Person("Tạ Quang Huy", "nam", date(1996, 8, 19), "001", "xã Văn Đức, huyện Gia Lâm, TP Hà Nội", "GL-BT",
       "cong_chuc", "01.003", date(2020, 1, 2), "Công chức Địa chính – Xây dựng", "Quản lý đất đai",
       status="draft"),
    Person("Bùi Văn Dũng", "nam", date(1985, 10, 10), "034", "xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình", "GL-BT",
       "cong_chuc", "01.003", date(2009, 5, 1), "Công chức Văn hóa – Xã hội", "Quản lý văn hóa",
       status="rejected",
       note="Đề nghị bổ sung quá trình công tác từ năm 2009 đến năm 2014 và khai đầy đủ thông tin về bố, mẹ "
       "(năm sinh, nghề nghiệp, nơi ở hiện nay)."),
    # UBND thị trấn Trâu Quỳ
    Person("Vũ Thị Lan", "nu", date(1984, 4, 16), "036", "xã Giao Tiến, huyện Giao Thủy, tỉnh Nam Định", "GL-TQ",
       "cong_chuc", "01.003", date(2008, 9, 1), "Công chức Văn phòng – Thống kê", "Quản trị văn phòng",
       religion="02", status="confirmed"),
    Person("Chu Văn Nam", "nam", date(1988, 1, 30), "024", "xã Tân Dĩnh, huyện Lạng Giang, tỉnh Bắc Giang", "GL-TQ",
       "cong_chuc", "01.003", date(2012, 11, 1), "Công chức Tư pháp – Hộ tịch", "Luật", status="pending"),
    Person("Kiều Thị Bích Ngọc", "nu", date(1997, 11, 2), "001", "thị trấn Trâu Quỳ, huyện Gia Lâm, TP Hà Nội", "GL-TQ",
       "cong_chuc", "01.003", date(2021, 6, 1), "Công chức Văn hóa – Xã hội", "Công tác xã hội", status="draft"),
    Person("Đào Xuân Trường", "nam", date(1982, 7, 7), "030", "xã Cẩm Hưng, huyện Cẩm Giàng, tỉnh Hải Dương", "GL-TQ",
       "can_bo", "01.002", date(2004, 3, 1), "Phó Chủ tịch UBND thị trấn Trâu Quỳ", "Kinh tế",
       master="Quản lý kinh tế", position="pho_chu_tich_ubnd", appointed=date(2021, 7, 1),
       promoted=("01.003", date(2019, 1, 1)), status="rejected",
       note="Ngày bổ nhiệm chức vụ chưa đúng với nghị quyết HĐND thị trấn; đề nghị khai lại và bổ sung "
       "chứng chỉ bồi dưỡng ngạch chuyên viên chính."),
    # UBND xã Cổ Bi: the late unit of the campaign
    Person("Hà Thị Kim Oanh", "nu", date(1986, 12, 24), "025", "xã Hy Cương, thành phố Việt Trì, tỉnh Phú Thọ", "GL-CB",
       "cong_chuc", "06.031", date(2010, 8, 1), "Công chức Tài chính – Kế toán", "Kế toán", status="draft"),
    Person("Lương Văn Sơn", "nam", date(1979, 9, 12), "020", "xã Hoàng Đồng, thành phố Lạng Sơn, tỉnh Lạng Sơn",
       "GL-CB", "cong_chuc", "01.003", date(2003, 10, 1), "Công chức Địa chính – Nông nghiệp – Môi trường",
       "Quản lý đất đai", ethnicity="02", status="draft"),
    Person("Cao Thị Yến", "nu", date(1994, 2, 18), "001", "xã Cổ Bi, huyện Gia Lâm, TP Hà Nội", "GL-CB", "cong_chuc",
       "01.003", date(2019, 3, 1), "Công chức Tư pháp – Hộ tịch", "Luật", status="pending"),
    # Trường THCS Cổ Bi
    Person("Đặng Thị Thanh Tâm", "nu", date(1980, 10, 20), "042", "xã Tùng Ảnh, huyện Đức Thọ, tỉnh Hà Tĩnh",
       "GL-THCS-CB", "vien_chuc", "V.07.04.31", date(2003, 9, 5), "Hiệu trưởng Trường THCS Cổ Bi",
       "Sư phạm Toán học", master="Quản lý giáo dục", position="hieu_truong", appointed=date(2018, 8, 1),
       promoted=("V.07.04.11", date(2021, 7, 1)), status="confirmed"),
    Person("Nguyễn Hữu Phúc", "nam", date(1987, 5, 12), "001", "xã Đa Tốn, huyện Gia Lâm, TP Hà Nội", "GL-THCS-CB",
       "vien_chuc", "V.07.04.32", date(2010, 9, 1), "Giáo viên Toán", "Sư phạm Toán học",
       promoted=("V.07.04.12", date(2021, 7, 1)), status="confirmed"),
    Person("Trần Thị Minh Thư", "nu", date(1992, 8, 8), "036", "xã Yên Cường, huyện Ý Yên, tỉnh Nam Định", "GL-THCS-CB",
       "vien_chuc", "V.07.04.32", date(2015, 9, 1), "Giáo viên Ngữ văn", "Sư phạm Ngữ văn",
       promoted=("V.07.04.12", date(2021, 7, 1)), status="pending"),
    Person("Bạch Văn Long", "nam", date(1990, 3, 3), "017", "xã Mông Hóa, thành phố Hòa Bình, tỉnh Hòa Bình",
       "GL-THCS-CB", "vien_chuc", "V.07.04.32", date(2014, 9, 1), "Giáo viên Tiếng Anh", "Sư phạm Tiếng Anh",
       promoted=("V.07.04.12", date(2021, 7, 1)), ethnicity="06", status="draft"),
    # Trường Mầm non Hoa Sữa
    Person("Lê Thị Hồng Vân", "nu", date(1984, 1, 9), "031", "xã Đại Bản, huyện An Dương, TP Hải Phòng", "GL-MN-HS",
       "vien_chuc", "V.07.02.25", date(2006, 9, 1), "Hiệu trưởng Trường Mầm non Hoa Sữa", "Giáo dục Mầm non",
       position="hieu_truong", appointed=date(2017, 8, 1), religion="01", status="confirmed"),
    Person("Tô Thị Quỳnh", "nu", date(1998, 6, 15), "001", "xã Kiêu Kỵ, huyện Gia Lâm, TP Hà Nội", "GL-MN-HS",
       "vien_chuc", "V.07.02.26", date(2020, 9, 1), "Giáo viên mầm non", "Giáo dục Mầm non", level="cd",
       status="rejected",
       note="Đề nghị cập nhật chức danh nghề nghiệp và hệ số lương theo quyết định bổ nhiệm, xếp lương "
       "giáo viên mầm non hạng III; đính kèm bản chụp bằng tốt nghiệp cao đẳng."),
    Person("Khuất Thị Diệu Linh", "nu", date(1995, 12, 1), "001", "xã Cẩm Đình, huyện Phúc Thọ, TP Hà Nội", "GL-MN-HS",
       "vien_chuc", "V.07.02.26", date(2018, 9, 1), "Giáo viên mầm non", "Giáo dục Mầm non", status="pending"),
    # UBND quận Ba Đình
    Person("Hoàng Đức Anh", "nam", date(1977, 4, 4), "001", "phường Kim Mã, quận Ba Đình, TP Hà Nội", "BD", "can_bo",
       "01.002", date(2000, 8, 1), "Phó Chủ tịch UBND quận Ba Đình", "Luật", master="Luật Kinh tế",
       position="pho_chu_tich_ubnd", appointed=date(2021, 7, 1), promoted=("01.003", date(2011, 1, 1)),
       status="confirmed"),
    Person("Nguyễn Thị Phương Thảo", "nu", date(1991, 9, 17), "040", "xã Nam Giang, huyện Nam Đàn, tỉnh Nghệ An", "BD",
       "cong_chuc", "01.003", date(2014, 12, 1), "Chuyên viên Văn phòng HĐND và UBND quận Ba Đình",
       "Hành chính học", status="confirmed"),
    # Phòng Nội vụ quận Ba Đình
    Person("Trần Văn Khánh", "nam", date(1985, 5, 30), "035", "xã Nhân Hậu, huyện Lý Nhân, tỉnh Hà Nam", "BD-NV",
       "cong_chuc", "01.003", date(2009, 10, 1), "Chuyên viên Phòng Nội vụ quận Ba Đình", "Quản trị nhân lực",
       status="rejected",
       note="Mục quan hệ gia đình còn thiếu thông tin bên vợ; đề nghị bổ sung và kiểm tra lại số sổ BHXH."),
    Person("Phạm Ngọc Mai", "nu", date(1999, 2, 20), "001", "phường Cống Vị, quận Ba Đình, TP Hà Nội", "BD-NV",
       "cong_chuc", "01.003", date(2022, 3, 1), "Chuyên viên Phòng Nội vụ quận Ba Đình", "Quản trị nhân lực",
       status="draft"),
    # UBND phường Ngọc Hà
    Person("Dương Thị Hoa", "nu", date(1983, 8, 26), "001", "phường Ngọc Hà, quận Ba Đình, TP Hà Nội", "BD-NH",
       "cong_chuc", "01.003", date(2007, 7, 1), "Công chức Văn phòng – Thống kê", "Quản trị văn phòng",
       status="pending"),
    Person("Vũ Văn Hậu", "nam", date(1981, 12, 12), "022", "phường Hồng Hải, thành phố Hạ Long, tỉnh Quảng Ninh",
       "BD-NH", "can_bo", "01.003", date(2005, 5, 1), "Chủ tịch UBND phường Ngọc Hà", "Luật",
       position="chu_tich_ubnd", appointed=date(2021, 7, 1), status="confirmed"),
    Person("Ngô Quang Minh", "nam", date(1994, 6, 6), "019", "xã Phúc Xuân, thành phố Thái Nguyên, tỉnh Thái Nguyên",
       "BD-NH", "cong_chuc", "01.003", date(2018, 10, 1), "Công chức Địa chính – Xây dựng", "Quản lý đất đai",
       status="draft"),
)
# fmt: on
