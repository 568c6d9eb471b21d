"""Benchmark of the 2C print: ms per PDF and per Word file (one core), and a bulk ZIP on both cores.

Seeds the demo into a temporary SQLite database, takes NGUYỄN NGỌC HUỆ's confirmed version as plain
data, then times only the pure functions (no database, no request):

    .venv/bin/python bench/bench_reports.py                  # 300 PDFs, 60 .docx, 1,000-profile ZIP
    .venv/bin/python bench/bench_reports.py --pdf 1000 --bulk 2000 --compare

Figures: median and 90th percentile wall time per document, median CPU time, the snapshot build,
and the bulk export (1,000 different names: one PDF each, ZIP written to a temporary file) with the
two worker processes of reports.bulk (`--compare` also runs it in this process alone). Goal: a PDF
in ≤ 20 ms (median) on one core of the 2-core test machine.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from demo.seed import seed_demo_data  # noqa: E402
from extensions import db  # noqa: E402
from models.org import OrgUnit  # noqa: E402
from models.profile import Profile  # noqa: E402
from models.refs import RefLookup  # noqa: E402
from models.user import User  # noqa: E402
from models.workflow import official_version  # noqa: E402
from reports import fonts  # noqa: E402
from reports.bulk import write_zip  # noqa: E402
from reports.docx_2c import render_docx  # noqa: E402
from reports.pdf_2c import render_pdf  # noqa: E402
from reports.snapshot import PrintSnapshot, UnitDirectory, build_snapshot, official_version_info  # noqa: E402

HUE_CCCD = "001300012345"
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hưng", "Khánh", "Linh", "Minh", "Nga", "Phúc", "Quân", "Thảo"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]


def load_hue() -> tuple[dict[str, Any], RefLookup, UnitDirectory, Any]:
    """Huệ's confirmed data, the reference lists and the units, from a freshly seeded database."""
    directory = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    app = create_app(
        {
            "ENV_NAME": "test",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.db'}",
            "INSTANCE_DIR": str(directory),
            "RATELIMIT_STORAGE_URI": "memory://",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
        }
    )
    with app.app_context():
        db.create_all()
        seed_demo_data(db.session)
        db.session.commit()
        owner = select(User.id).where(User.cccd == HUE_CCCD).scalar_subquery()
        profile = db.session.scalar(select(Profile).where(Profile.owner_id == owner))
        version = official_version(db.session, profile.id)
        refs = RefLookup.load(db.session)
        units = UnitDirectory.from_rows(
            tuple(row) for row in db.session.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id))
        )
        info = official_version_info(version.number, version.confirmed_at, version.digest)
        return copy.deepcopy(version.data), refs, units, info


def timed(function: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def report(name: str, wall: list[float], cpu: list[float]) -> None:
    p90 = statistics.quantiles(wall, n=10)[-1] if len(wall) >= 10 else max(wall)
    print(
        f"{name:<28} median {statistics.median(wall):7.1f} ms   p90 {p90:7.1f} ms   "
        f"cpu median {statistics.median(cpu):7.1f} ms   ({len(wall)} runs)"
    )


def variants(snapshot: PrintSnapshot, count: int) -> list[PrintSnapshot]:
    """`count` snapshots with different names (one file each in the ZIP)."""
    out = []
    for n in range(count):
        name = f"{FAMILY[n % len(FAMILY)]} Văn {GIVEN[(n // len(FAMILY)) % len(GIVEN)]} {n}"
        values = dict(snapshot.values, full_name=name, full_name_upper=name.upper())
        out.append(replace(snapshot, profile_id=n + 1, full_name=name, values=values))
    return out


def bulk(snapshots: list[PrintSnapshot], workers: int) -> None:
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        names = write_zip(snapshots, out, workers=workers)
        seconds = time.perf_counter() - start
        size = out.tell()
    print(
        f"bulk ZIP, {workers} worker(s)      {len(names)} PDFs in {seconds:6.2f} s   "
        f"{seconds * 1000 / len(names):6.1f} ms per PDF   {size / 1e6:6.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=int, default=300, help="PDF runs")
    parser.add_argument("--docx", type=int, default=60, help="Word runs")
    parser.add_argument("--bulk", type=int, default=1000, help="profiles in the bulk ZIP (0: skip)")
    parser.add_argument("--compare", action="store_true", help="also run the bulk export in this process alone")
    args = parser.parse_args()

    data, refs, units, info = load_hue()
    fonts.register_fonts()
    snapshot = build_snapshot(data, refs, units, info, profile_id=1)
    pdf, docx = render_pdf(snapshot), render_docx(snapshot)  # warm-up (caches, imports)
    print(f"Huệ's 2C: PDF {len(pdf) / 1024:.0f} KiB, .docx {len(docx) / 1024:.0f} KiB")
    report("snapshot build", *timed(lambda: build_snapshot(data, refs, units, info, profile_id=1), 200))
    report("PDF (render_pdf)", *timed(lambda: render_pdf(snapshot), args.pdf))
    report("Word (render_docx)", *timed(lambda: render_docx(snapshot), args.docx))
    if args.bulk:
        many = variants(snapshot, args.bulk)
        bulk(many, 2)
        if args.compare:
            bulk(many, 1)


if __name__ == "__main__":  # the bulk workers re-import this module: run nothing on import
    main()
