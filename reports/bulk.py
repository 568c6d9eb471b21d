"""Bulk printing: one ZIP holding the 2C PDF of each of many snapshots, rendered on both cores.

Rendering is CPU-bound pure Python, so threads would not help: a `ProcessPoolExecutor` with two
workers (the machines have two cores) renders while this process writes the ZIP. Workers come from
a "forkserver" process rather than a plain fork of the web worker, which may hold threads, locks
and database connections that a forked child must not inherit; each worker registers the fonts
once when it starts. Small batches render in this process: starting workers costs more than it saves.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import BinaryIO

from reports import fonts
from reports.form_2c import file_name
from reports.pdf_2c import render_pdf
from reports.snapshot import PrintSnapshot

log = logging.getLogger(__name__)

WORKERS = 2
IN_PROCESS_BELOW = 6  # batches smaller than this render without worker processes
CHUNK = 8  # snapshots sent to a worker at a time: fewer round trips, still balanced


def _init_worker() -> None:
    fonts.register_fonts()


def unique_names(snapshots: Iterable[PrintSnapshot], extension: str = "pdf") -> list[str]:
    """File names from the names (ASCII); homonyms printed on the same day get "_2", "_3"…"""
    seen: dict[str, int] = {}
    names = []
    for snapshot in snapshots:
        name = file_name(snapshot, extension)
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count > 1:
            stem, _, ext = name.rpartition(".")
            name = f"{stem}_{count}.{ext}"
            while name in seen:
                count += 1
                name = f"{stem}_{count}.{ext}"
            seen[name] = 1
        names.append(name)
    return names


def _pool(workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the renderer once; every worker forked from it starts warm.
    context.set_forkserver_preload(["reports.pdf_2c"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker)


def write_zip(snapshots: Sequence[PrintSnapshot], out: BinaryIO, *, workers: int = WORKERS) -> list[str]:
    """Write a ZIP of one PDF per snapshot to `out`, in the given order; returns the file names.

    PDFs are stored, not deflated again: their streams are already compressed. If worker processes
    cannot be started or die, the remaining PDFs are rendered here: slower, but the export completes.
    """
    names = unique_names(snapshots)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        written = 0
        if workers > 1 and len(snapshots) >= IN_PROCESS_BELOW:
            try:
                with _pool(workers) as pool:
                    for pdf in pool.map(render_pdf, snapshots, chunksize=CHUNK):
                        archive.writestr(names[written], pdf)
                        written += 1
            except (BrokenProcessPool, OSError):
                log.warning("bulk print: worker processes failed; rendering the rest in-process", exc_info=True)
        fonts.register_fonts()
        for name, snapshot in zip(names[written:], snapshots[written:], strict=True):
            archive.writestr(name, render_pdf(snapshot))
    return names


def bulk_zip(snapshots: Sequence[PrintSnapshot], *, workers: int = WORKERS) -> bytes:
    """`write_zip` into memory."""
    buffer = io.BytesIO()
    write_zip(snapshots, buffer, workers=workers)
    return buffer.getvalue()
