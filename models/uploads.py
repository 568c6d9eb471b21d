"""Storing uploaded attachments: size limit, type allow-list checked by content, random names on disk.

Pure file handling, no Flask request: the view passes the stream, the limit and the directory.
The browser's filename and content type are never trusted; the type comes from the bytes
(magic numbers, and for DOCX the ZIP's central directory). Files land under a random name in a
directory outside the web root; the user's filename is kept only as the download name.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 64 * 1024
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A DOCX is a ZIP: refuse archives whose declared content would inflate past this (zip bombs).
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
DOCX_MAX_ENTRIES = 2000
# Only [Content_Types].xml is read, and only this much of it.
_CONTENT_TYPES_MAX_READ = 1024 * 1024
MAX_NAME_LENGTH = 255

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Extensions a download name may end with for each type; the first is added when none matches,
# so a PDF uploaded as "scan.exe" downloads as "scan.exe.pdf" and never as something executable.
EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    DOCX: (".docx",),
}

_STORED_NAME = re.compile(r"[0-9a-f]{32}")
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class UploadRejected(ValueError):
    """The upload was refused; the message is Vietnamese and shown to the user."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int


def format_size(size: int) -> str:
    """Vietnamese style: decimal comma, KB / MB (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    text = f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} MB"


def _type_message() -> str:
    return (
        "Chỉ nhận tệp PDF, ảnh JPEG/PNG hoặc tài liệu Word (DOCX). "
        "Loại tệp được kiểm tra theo nội dung, không theo tên tệp."
    )


def _check_docx(path: Path) -> None:
    """A real Word document: the OPC parts Word needs, no macros, no zip bomb. Nothing is extracted."""
    broken = UploadRejected("Tệp Word (DOCX) bị hỏng hoặc không đúng định dạng.")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > DOCX_MAX_ENTRIES:
                raise broken
            if sum(entry.file_size for entry in entries) > DOCX_MAX_UNCOMPRESSED:
                raise UploadRejected("Tệp Word (DOCX) quá lớn khi giải nén.")
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise UploadRejected(_type_message())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UploadRejected("Tài liệu Word có chứa macro không được chấp nhận.")
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(_CONTENT_TYPES_MAX_READ).decode("utf-8", "replace")
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        raise broken from exc
    if _DOCX_MAIN not in content_types:
        raise UploadRejected(_type_message())


def detect_type(path: Path) -> str:
    """The content type of a stored file from its bytes; UploadRejected for anything not allowed.

    Signatures must sit at offset 0: a ZIP appended to an executable (a self-extracting archive)
    still opens with zipfile, so the DOCX check also requires the local-header magic first.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"PK\x03\x04"):
        _check_docx(path)
        return DOCX
    raise UploadRejected(_type_message())


def clean_filename(filename: str | None, content_type: str) -> str:
    """A safe display/download name: no path, no control or bidi characters, the right extension."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Category C covers control characters and format characters such as U+202E (right-to-left
    # override), which makes "gpj.exe" look like "exe.jpg".
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    extensions = EXTENSIONS[content_type]
    if not name.lower().endswith(extensions):
        name = f"{name or 'tep-dinh-kem'}{extensions[0]}"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: MAX_NAME_LENGTH - len(ext) - 1]}{dot}{ext}"
    return name


def store_upload(stream: BinaryIO, filename: str | None, *, max_bytes: int, upload_dir: str | Path) -> StoredFile:
    """Copy `stream` into `upload_dir` under a random name after checking size and type.

    The bytes go to a private temporary file first and are renamed only once every check
    passed, so a refused upload leaves nothing behind.
    """
    directory = Path(upload_dir)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", dir=directory)
    tmp_path = Path(tmp_name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(f"Tệp vượt quá dung lượng cho phép (tối đa {format_size(max_bytes)}).")
                out.write(chunk)
        if size == 0:
            raise UploadRejected("Tệp rỗng: hãy chọn một tệp có nội dung.")
        content_type = detect_type(tmp_path)
        stored_name = secrets.token_hex(16)
        os.replace(tmp_path, directory / stored_name)
    finally:
        tmp_path.unlink(missing_ok=True)
    return StoredFile(stored_name, clean_filename(filename, content_type), content_type, size)


def _stored_path(stored_name: str, upload_dir: str | Path) -> Path:
    """Only names this module generates resolve, so a tampered row cannot point outside the directory."""
    if not _STORED_NAME.fullmatch(stored_name):
        raise FileNotFoundError(stored_name)
    return Path(upload_dir) / stored_name


def open_stored(stored_name: str, upload_dir: str | Path) -> BinaryIO:
    """The stored file opened for reading; FileNotFoundError when it is missing."""
    return _stored_path(stored_name, upload_dir).open("rb")


def delete_stored(stored_name: str, upload_dir: str | Path) -> None:
    """Remove a stored file; a file already gone is not an error."""
    try:
        _stored_path(stored_name, upload_dir).unlink(missing_ok=True)
    except FileNotFoundError:
        pass
