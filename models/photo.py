"""The 4x6 profile photo: decoded, cropped to 4:6, scaled to at most 1,200 px tall and re-encoded
as a fresh JPEG, so no metadata (GPS, camera, comments) and no crafted bytes survive the upload."""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from models.uploads import CHUNK, UploadRejected, format_size

MAX_HEIGHT = 1200
# A photo has a few megapixels; refuse anything that would decode into a huge bitmap.
MAX_PIXELS = 40_000_000
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    buffer = io.BytesIO()
    while chunk := stream.read(CHUNK):
        if buffer.tell() + len(chunk) > max_bytes:
            raise UploadRejected(f"Ảnh vượt quá dung lượng cho phép (tối đa {format_size(max_bytes)}).")
        buffer.write(chunk)
    return buffer.getvalue()


def crop_4x6(image: Image.Image) -> Image.Image:
    """Centre crop to width:height = 4:6."""
    width, height = image.size
    if width * 3 > height * 2:  # too wide
        new_width = height * 2 // 3
        left = (width - new_width) // 2
        return image.crop((left, 0, left + new_width, height))
    new_height = width * 3 // 2
    top = (height - new_height) // 2
    return image.crop((0, top, width, top + new_height))


def store_photo(stream: BinaryIO, *, max_bytes: int, upload_dir: str | Path) -> str:
    """Check, normalise and store a photo; returns the stored (random) file name."""
    data = _read_limited(stream, max_bytes)
    if not data.startswith(_SIGNATURES):
        raise UploadRejected("Ảnh phải là tệp JPEG hoặc PNG.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise UploadRejected("Ảnh có kích thước quá lớn.")
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise UploadRejected("Không đọc được ảnh: tệp hỏng hoặc không phải ảnh JPEG/PNG.") from exc
    image = ImageOps.exif_transpose(image).convert("RGB")
    image = crop_4x6(image)
    if image.height > MAX_HEIGHT:
        image = image.resize((MAX_HEIGHT * 2 // 3, MAX_HEIGHT), Image.Resampling.LANCZOS)
    directory = Path(upload_dir)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    image.save(directory / stored_name, format="JPEG", quality=88, optimize=True)
    return stored_name
