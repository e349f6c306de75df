"""Files of every kind the upload checks must tell apart, built in memory; a throw-away MEDIA_ROOT."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["单位名称"])
    wb.save(buf)
    return buf.getvalue()


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("evil.exe", b"MZ")
    return buf.getvalue()


SAMPLES = {
    "pdf": ("设立通知.pdf", PDF),
    "png": ("org.png", PNG),
    "jpeg": ("photo.jpg", JPEG),
    "xlsx": ("名录.xlsx", xlsx_bytes()),
    "docx": ("方案.docx", docx_bytes()),
}
# Refused whatever they are called: the name claims an allowed type, the bytes are something else.
DISGUISED = {
    "html_as_pdf": ("notice.pdf", b"<html><script>alert(1)</script></html>"),
    "exe_as_docx": ("plan.docx", b"MZ\x90\x00\x03" + b"\x00" * 60),
    "zip_as_xlsx": ("book.xlsx", plain_zip()),
    "svg_as_png": ("chart.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    "truncated_zip": ("book.xlsx", b"PK\x03\x04garbage"),
}


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
