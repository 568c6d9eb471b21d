"""Command-line entry points: `flask --app app refdata load | accounts import FILE | seed-demo`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from extensions import db


def register_cli(app: Flask) -> None:
    refdata = AppGroup("refdata", help="Danh mục dùng chung (reference lists).")

    @refdata.command("load")
    def refdata_load() -> None:
        """Load or update every reference list from refdata/*.csv (idempotent)."""
        from models.refdata import load_reference_data

        changed = load_reference_data(db.session)
        db.session.commit()
        total = sum(changed.values())
        for name, count in changed.items():
            if count:
                click.echo(f"  {name}: {count} dòng thay đổi")
        click.echo(f"Đã nạp danh mục: {total} dòng thêm mới/cập nhật.")

    app.cli.add_command(refdata)

    accounts = AppGroup("accounts", help="Tài khoản CBCCVC.")

    @accounts.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def accounts_import(path: str) -> None:
        """Create accounts and empty draft profiles from an .xlsx or .csv list."""
        from auth.accounts_import import run_import_cli

        run_import_cli(path)

    app.cli.add_command(accounts)

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Chỉ nạp khi cơ sở dữ liệu chưa có tài khoản nào.")
    def seed_demo(if_empty: bool) -> None:
        """Load the reference lists and the demo scenario (idempotent)."""
        from sqlalchemy import func, select

        from demo.seed import seed_demo_data
        from models.user import User

        if if_empty and db.session.scalar(select(func.count()).select_from(User)):
            click.echo("Cơ sở dữ liệu đã có dữ liệu: bỏ qua dữ liệu mẫu.")
            return
        summary = seed_demo_data(db.session)
        db.session.commit()
        click.echo(summary)

    sync = AppGroup("sync", help="Đồng bộ hồ sơ lên cổng BNV.")

    @sync.command("run")
    @click.option("--once", is_flag=True, help="Gửi các hồ sơ đến hạn rồi dừng (không chạy thường trực).")
    @click.option("--limit", type=click.IntRange(min=1), default=None, help="Gửi tối đa N hồ sơ trong lần chạy này.")
    def sync_run(once: bool, limit: int | None) -> None:
        """Send the due outbox rows to the BNV portal; without --once, keep polling until stopped."""
        import signal

        from flask import current_app

        from sync.client import PortalConfigError
        from sync.worker import worker_for

        try:
            worker = worker_for(current_app.config, db.session)
        except PortalConfigError as exc:
            raise click.ClickException(str(exc)) from exc
        stopping: list[int] = []
        if not once:
            # Finish the row in flight, give the other claimed rows back, then exit.
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda signum, _frame: stopping.append(signum))
            click.echo("Đang chạy tiến trình đồng bộ BNV (Ctrl+C để dừng)…")
        stats = worker.run(once=once, limit=limit, stop=lambda: bool(stopping))
        click.echo(stats.summary())

    app.cli.add_command(sync)
