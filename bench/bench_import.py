"""Benchmark of the bulk account import: 10,000 generated rows, .xlsx and .csv, on a fresh database.

Runs the same code path as `flask accounts import` (read_rows → import_accounts → commit) and prints
seconds per phase and rows per second. Usage, from the repository root:

    .venv/bin/python bench/bench_import.py                      # SQLite temp file
    .venv/bin/python bench/bench_import.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

For PostgreSQL the URL only names the server: a scratch database `hoso_bench` is created there and
dropped at the end, so no existing database is touched.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the app's packages importable
    sys.path.insert(0, str(ROOT))

SCRATCH_DB = "hoso_bench"
HEADER = ["STT", "Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Vai trò"]

SURNAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4),
    ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1),
    ("Lý", 1), ("Đinh", 1), ("Trịnh", 1), ("Đào", 1), ("Mai", 1),
]  # fmt: skip
MIDDLE = {
    "nam": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Đình", "Xuân", "Thành", "Ngọc", "Mạnh", "Tuấn"],
    "nu": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Thúy", "Phương", "Hồng", "Kim", "Minh", "Hải"],
}
GIVEN = {
    "nam": ["Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long", "Nam",
            "Phong", "Quân", "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Ưng", "Điệp", "Lộc"],
    "nu": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Huệ", "Hương", "Lan", "Linh", "Loan",
           "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Yến"],
}  # fmt: skip
# (code, name, kind, parent code)
UNITS = [
    ("HN", "UBND Thành phố Hà Nội", "co_quan", None),
    ("GL", "UBND huyện Gia Lâm", "co_quan", "HN"),
    ("GL-NV", "Phòng Nội vụ", "phong_ban", "GL"),
    ("GL-TCKH", "Phòng Tài chính – Kế hoạch", "phong_ban", "GL"),
    ("GL-BT", "UBND xã Bát Tràng", "xa", "GL"),
    ("GL-TQ", "UBND thị trấn Trâu Quỳ", "xa", "GL"),
    ("GL-THCS-CB", "Trường THCS Cổ Bi", "truong", "GL"),
    ("GL-MN-HS", "Trường Mầm non Hoa Sữa", "truong", "GL"),
    ("BD", "UBND quận Ba Đình", "co_quan", "HN"),
    ("BD-NV", "Phòng Nội vụ quận Ba Đình", "phong_ban", "BD"),
]


def province_codes() -> list[str]:
    with (ROOT / "refdata" / "provinces_cccd.csv").open(encoding="utf-8") as fh:
        return [row["code"] for row in csv.DictReader(fh)]


def generate_rows(count: int, seed: int = 2023) -> list[list[object]]:
    """Realistic rows: weighted surnames, names by sex, CCCDs consistent with birth year and sex."""
    rng = random.Random(seed)
    provinces = province_codes()
    surnames, weights = zip(*SURNAMES, strict=True)
    unit_codes = [code for code, *_ in UNITS]
    used: set[str] = set()
    rows: list[list[object]] = []
    while len(rows) < count:
        sex = rng.choice(("nam", "nu"))
        born = date(1962, 1, 1) + timedelta(days=rng.randrange(0, 42 * 365))
        century_digit = (born.year // 100 - 19) * 2 + (1 if sex == "nu" else 0)
        cccd = f"{rng.choice(provinces)}{century_digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"
        if cccd in used:
            continue
        used.add(cccd)
        name = f"{rng.choices(surnames, weights)[0]} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        if rng.random() < 0.3:
            name = name.upper()  # many lists are typed in capitals
        roll = rng.random()
        roles = "approver" if roll < 0.01 else "hr|leader" if roll < 0.015 else ""
        rows.append([len(rows) + 1, cccd, name, born, "Nam" if sex == "nam" else "Nữ", rng.choice(unit_codes), roles])
    return rows


def write_xlsx(rows: list[list[object]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH TÀI KHOẢN CBCCVC"])  # a title row above the header, as HR files have
    sheet.append(HEADER)
    for row in rows:
        born = WriteOnlyCell(sheet, value=row[3])
        born.number_format = "DD/MM/YYYY"
        sheet.append([row[0], str(row[1]), row[2], born, *row[4:]])
    workbook.save(path)


def write_csv(rows: list[list[object]], path: Path) -> None:
    # UTF-8 with BOM and ';', as Excel writes «CSV UTF-8» under Vietnamese regional settings.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        for row in rows:
            born = row[3]
            assert isinstance(born, date)
            writer.writerow([row[0], row[1], row[2], f"{born:%d/%m/%Y}", *row[4:]])


class Database:
    """A fresh SQLite file per run, or the scratch PostgreSQL database (created once, dropped at the end)."""

    def __init__(self, server_url: str | None, workdir: Path) -> None:
        from sqlalchemy.engine import make_url

        self.workdir = workdir
        self.server = make_url(server_url) if server_url else None
        if self.server is not None and not self.server.drivername.startswith("postgresql"):
            raise SystemExit("--database-url must be a PostgreSQL URL (SQLite is the default).")
        self.runs = 0

    @property
    def label(self) -> str:
        if self.server is None:
            return "SQLite (temp file)"
        return f"PostgreSQL {self.server.host}:{self.server.port or 5432}/{SCRATCH_DB}"

    def _admin(self, statement: str) -> None:
        from sqlalchemy import create_engine, text

        assert self.server is not None
        engine = create_engine(self.server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(statement))
        engine.dispose()

    def fresh_url(self) -> str:
        self.runs += 1
        if self.server is None:
            return f"sqlite:///{self.workdir / f'bench{self.runs}.db'}"
        self._admin(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
        self._admin(f'CREATE DATABASE "{SCRATCH_DB}"')
        return self.server.set(database=SCRATCH_DB).render_as_string(hide_password=False)

    def cleanup(self) -> None:
        if self.server is not None and self.runs:
            self._admin(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')


def timed_import(path: Path) -> dict[str, float | int]:
    """One import exactly as the CLI does it (minus the progress bar); seconds per phase."""
    from auth.accounts_import import import_accounts, read_rows
    from extensions import db

    start = time.perf_counter()
    rows = read_rows(path)
    parsed = time.perf_counter()
    report = import_accounts(db.session, rows, now=datetime.now(UTC))
    imported = time.perf_counter()
    db.session.commit()
    committed = time.perf_counter()
    return {
        "parse": parsed - start,
        "import": imported - parsed,
        "commit": committed - imported,
        "total": committed - start,
        "rows": len(rows),
        "created": report.created,
        "unchanged": report.unchanged,
        "rejected": report.rejected_count,
    }


def run_one(database: Database, path: Path, workdir: Path) -> list[tuple[str, dict[str, float | int]]]:
    from sqlalchemy import func, select

    from app import create_app
    from extensions import db
    from models.org import add_unit
    from models.profile import Profile
    from models.user import User

    app = create_app(
        {
            "ENV_NAME": "bench",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database.fresh_url(),
            "RATELIMIT_STORAGE_URI": "memory://",
            "INSTANCE_DIR": str(workdir),
        }
    )
    results = []
    with app.app_context():
        db.create_all()
        units = {}
        for code, name, kind, parent in UNITS:
            units[code] = add_unit(db.session, code=code, name=name, kind=kind, parent=units.get(parent or ""))
        db.session.commit()
        first = timed_import(path)
        assert db.session.scalar(select(func.count()).select_from(User)) == first["created"]
        assert db.session.scalar(select(func.count()).select_from(Profile)) == first["created"]
        results.append((f"{path.suffix[1:]}, new", first))
        results.append((f"{path.suffix[1:]}, re-run", timed_import(path)))
        db.session.remove()
        db.engine.dispose()
    return results


def main(argv: list[str] | None = None) -> None:
    env_url = os.environ.get("DATABASE_URL", "")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default=env_url if env_url.startswith("postgres") else None,
        help="PostgreSQL server URL (a scratch database hoso_bench is used); default: SQLite temp file",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hoso-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        rows = generate_rows(args.rows)
        xlsx, csv_path = workdir / "accounts.xlsx", workdir / "accounts.csv"
        write_xlsx(rows, xlsx)
        write_csv(rows, csv_path)
        print(f"Generated {len(rows)} rows into .xlsx and .csv in {time.perf_counter() - started:.1f} s")

        database = Database(args.database_url, workdir)
        print(f"Database: {database.label}")
        try:
            results = run_one(database, xlsx, workdir) + run_one(database, csv_path, workdir)
        finally:
            database.cleanup()

    print(
        f"{'run':<14}{'parse s':>9}{'import s':>10}{'commit s':>10}{'total s':>9}{'rows/s':>9}"
        f"{'created':>9}{'unchanged':>11}{'rejected':>10}"
    )
    for label, r in results:
        print(
            f"{label:<14}{r['parse']:>9.2f}{r['import']:>10.2f}{r['commit']:>10.2f}{r['total']:>9.2f}"
            f"{r['rows'] / r['total']:>9.0f}{r['created']:>9}{r['unchanged']:>11}{r['rejected']:>10}"
        )


if __name__ == "__main__":
    main()
