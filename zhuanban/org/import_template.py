"""The import template: an empty workbook with both sheets, their headers, an example row, drop-down lists
and a sheet of instructions (``zhuanban import --template OUT.xlsx``, and the download on /org/import)."""

from __future__ import annotations

import os
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from zhuanban.core.exports import safe_cell, safe_row

from .importer import MAX_ROWS, PERSON_COLUMNS, PERSON_SHEET, UNIT_COLUMNS, UNIT_SHEET
from .models import Person, Unit

EXAMPLE_UNIT = ("市大数据管理局", "市大数据局", "党政机关", "", "110000")
EXAMPLE_PERSON = ("张伟", "市大数据管理局", "数据资源处处长", "行政编制", "010-12345678", "否", "zhangwei")


def write_template(target: str | os.PathLike[str] | IO[bytes]) -> None:
    """An empty workbook with both sheets, their headers, one example row and drop-down lists."""
    wb = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, (title, columns, example) in enumerate(
        ((UNIT_SHEET, UNIT_COLUMNS, EXAMPLE_UNIT), (PERSON_SHEET, PERSON_COLUMNS, EXAMPLE_PERSON))
    ):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(safe_row(columns))
        ws.append(safe_row(example))
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for letter in "ABCDEFG"[: len(columns)]:
            ws.column_dimensions[letter].width = 22
        ws.freeze_panes = "A2"
    choices = (
        (wb[UNIT_SHEET], "C", Unit.Kind.labels),
        (wb[PERSON_SHEET], "D", Person.Staffing.labels),
        (wb[PERSON_SHEET], "F", ["是", "否"]),
    )
    for ws, col, labels in choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(str(x) for x in labels) + '"', allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{MAX_ROWS + 1}")
    for ws in (wb[UNIT_SHEET], wb[PERSON_SHEET]):  # 区划代码 / 联系电话 stay text: leading zeros survive
        ws.column_dimensions["E"].number_format = "@"
    notes = wb.create_sheet("填写说明")
    for line in (
        "第 2 行为示例，导入前请替换或删除。",
        "单位表：单位名称、单位类别必填；上级单位可填写本表中的单位或系统中已有单位（全称，或唯一的简称）。",
        f"单位类别可选：{'、'.join(str(x) for x in Unit.Kind.labels)}。",
        "区划代码为 GB/T 2260 的 6、9 或 12 位数字，须是系统中已维护的区划。",
        "人员表：姓名、所在单位、编制类型必填；所在单位可填写本文件“单位”表中的单位。",
        f"编制类型可选：{'、'.join(str(x) for x in Person.Staffing.labels)}；单位负责人填写“是”或“否”。",
        "登录名可选，不区分大小写，不能与已有账号重复；导入的账号没有密码，需由管理员设置后方可登录。",
        "整份文件要么全部导入，要么全部不导入：任何一行有误，系统会列出工作表、行号、列名和原因。",
    ):
        notes.append([safe_cell(line)])
    notes.column_dimensions["A"].width = 110
    wb.save(target)
