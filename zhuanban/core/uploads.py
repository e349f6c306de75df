"""Receiving and serving uploaded files safely.

- **Size**: at most ``ZHUANBAN_MAX_UPLOAD_BYTES`` (default 10 MiB); a larger request body is refused with
  413 before Django reads it (:class:`zhuanban.core.limits.BodySizeLimitMiddleware`), a larger file here.
- **Type by content, not by name**: the first bytes must be a PDF, PNG or JPEG signature, or a zip
  archive whose ``[Content_Types].xml`` and main part make it an Office Open XML workbook (.xlsx) or
  document (.docx).  The browser's Content-Type and the file name's extension are not trusted.
- **Stored outside the web root** (``MEDIA_ROOT``, under ``var/``; nothing serves it directly: there is
  no ``MEDIA_URL`` route) under a random name in a folder per area.  The uploader's file name is data,
  never a path.
- **Served only through a view that checks permission**, with ``Content-Disposition: attachment`` and
  ``X-Content-Type-Options: nosniff`` (:func:`download_response`).  Stored names are checked again when
  opened: anything that is not ``<area>/<hex>.<ext>`` inside ``MEDIA_ROOT`` is a 404.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404

from .errors import Invalid


@dataclass(frozen=True)
class FileKind:
    name: str
    extension: str
    content_type: str
    label: str


KINDS: dict[str, FileKind] = {
    k.name: k for k in (
        FileKind("pdf", "pdf", "application/pdf", "PDF"),
        FileKind("png", "png", "image/png", "PNG 图片"),
        FileKind("jpeg", "jpg", "image/jpeg", "JPEG 图片"),
        FileKind("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "Excel 工作簿（.xlsx）"),
        FileKind("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "Word 文档（.docx）"),
    )
}
DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "png", "jpeg")
STORED_NAME = re.compile(r"^[a-z]{1,20}/[0-9a-f]{32}\.(pdf|png|jpg|xlsx|docx)$")


def max_upload_bytes() -> int:
    return int(getattr(settings, "ZHUANBAN_MAX_UPLOAD_BYTES", settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


def _ooxml_kind(fh: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(fh) as zf:  # reads the central directory only: nothing is extracted
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def sniff(fh: IO[bytes]) -> str | None:
    """The kind of file ``fh`` holds, judged by its bytes (``None``: not one we accept)."""
    fh.seek(0)
    head = fh.read(16)
    fh.seek(0)
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(fh)
    fh.seek(0)
    return kind


def validate_upload(upload: Any, *, allowed: Iterable[str] = DOCUMENT_KINDS, field: str = "file") -> FileKind:
    """The upload's kind, or :class:`Invalid` (422) naming ``field`` if it is too large, empty or not one
    of ``allowed`` by content."""
    allowed = tuple(allowed)
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_upload_bytes()
    if size > limit:
        msg = f"文件超过大小上限（{limit // (1024 * 1024) or 1} MB）"
        raise Invalid("upload_too_large", msg, {field: msg})
    if size == 0:
        raise Invalid("upload_empty", "上传的文件是空的", {field: "文件为空"})
    kind = sniff(upload)
    if kind is None or kind not in allowed:
        labels = "、".join(KINDS[k].label for k in allowed)
        msg = f"文件内容不是允许的类型（允许：{labels}）"
        raise Invalid("upload_type_not_allowed", msg, {field: msg})
    return KINDS[kind]


def clean_original_name(name: str | None, kind: FileKind) -> str:
    """The uploader's file name for display and the download's name: no folders, no control characters,
    at most 200 characters, and the extension of what the file really is."""
    base = PurePosixPath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem = base.rsplit(".", 1)[0].strip(" .") if "." in base else base.strip(" .")
    stem = stem[:190] or "附件"
    return f"{stem}.{kind.extension}"


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def store(upload: Any, *, area: str, kind: FileKind) -> tuple[str, str]:
    """Write ``upload`` under ``MEDIA_ROOT/<area>/`` with a random name; return (stored name, sha256)."""
    if not re.fullmatch(r"[a-z]{1,20}", area):
        raise ValueError(f"bad upload area {area!r}")
    stored = f"{area}/{secrets.token_hex(16)}.{kind.extension}"
    path = media_root() / stored
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    digest = hashlib.sha256()
    upload.seek(0)
    # "x": never overwrite an existing file, whatever the odds of a clash.
    with open(path, "xb") as out:
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
            digest.update(chunk)
            out.write(chunk)
    path.chmod(0o640)
    return stored, digest.hexdigest()


def stored_path(stored_name: str) -> Path:
    """The file for ``stored_name``; 404 for anything that is not a name :func:`store` made (``..``,
    absolute paths, other folders) or that resolves outside ``MEDIA_ROOT``."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise Http404("no such file")
    root = media_root()
    path = (root / stored_name).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404("no such file")
    return path


def discard(stored_name: str) -> None:
    try:
        stored_path(stored_name).unlink()
    except (Http404, OSError):
        pass


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename) or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_response(stored_name: str, filename: str, content_type: str) -> FileResponse:
    """A download of a stored file.  The caller has checked the user may see it."""
    path = stored_path(stored_name)
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    # A downloaded document is not a page: it may not run scripts even if a browser ignored the type.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
