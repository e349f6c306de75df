"""Exports escape formula injection: every cell through safe_cell, every workbook scanned."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tests.spreadsheets import assert_no_formula_injection, dangerous_cells
from zhuanban.core.exports import csv_bytes, safe_cell, xlsx_bytes
from zhuanban.org.import_template import write_template


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")",
                                   "=cmd|' /C calc'!A0"])
def test_text_that_starts_a_formula_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "010-12345678", "", " =1", 5, -3, 1.5, True])
def test_other_values_pass_unchanged(value):
    assert safe_cell(value) == value


def test_the_scanner_finds_formulas_and_formula_like_text():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["=1+1", "ok", "@x"])
    buf = io.BytesIO()
    wb.save(buf)
    assert [c[1] for c in dangerous_cells(buf.getvalue())] == ["A1", "C1"]


ROWS = [["姓名", "=HYPERLINK(\"http://evil\")"], ["-2+3", "@A1"], ["\tcmd", -5]]


def test_csv_writer_neutralises_every_cell():
    out = csv_bytes(ROWS).decode("utf-8-sig")
    assert_no_formula_injection(out)
    assert "'=HYPERLINK" in out


def test_xlsx_writer_neutralises_every_cell():
    assert_no_formula_injection(xlsx_bytes(ROWS))


def test_the_import_template_is_clean(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path)
    assert_no_formula_injection(path)


def test_the_downloaded_import_template_is_clean(cast, client):
    client.force_login(cast.admin)
    response = client.get(reverse("org_import_template"))
    assert response.status_code == 200
    assert_no_formula_injection(response.content)
