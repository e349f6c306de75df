"""The export of a scheme's results for a home unit's annual assessment (派出单位年度考核): one row per
subject dispatched by that unit (all units when none is chosen), with rank, total, the points per evaluator
type and per indicator, the collaboration index, awards and negative-list entries.  .xlsx by XlsxWriter
(every cell through ``core.exports.safe_cell``, no formulas/URLs/numbers from strings), .docx by
python-docx (a title, the scheme, one table).  ``progress(done, total)`` is called as rows are written."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from zhuanban.core.exports import safe_cell

from .engine import TYPE_LABELS, Results, compute
from .models import ExportJob

Progress = Callable[[int, int], None]


def table(res: Results, unit_id: int | None) -> tuple[list[str], list[list[Any]]]:
    items = [r for r in res.items if unit_id is None or r.subject.home_unit_id == unit_id]
    types = [t for t in res.revision.evaluator_weights]
    header = ["排名", "考核对象", "派出单位", "身份", "总分", "基础得分", "奖励/扣减", "数据计算得分",
              *[f"{TYPE_LABELS.get(t, t)}得分" for t in types],
              *[f"{leaf['path']}（{leaf['weight']:g}）" for leaf in res.leaves], "协同指数", "揭榜挂帅奖励", "负面清单"]
    rows: list[list[Any]] = []
    for r in items:
        per_leaf: dict[str, float] = {}
        for row in r.rows:
            per_leaf[row.key] = per_leaf.get(row.key, 0.0) + row.points
        rows.append([
            r.rank, r.subject.label, r.subject.home_unit, r.subject.detail, round(r.total, 2), round(r.base, 2),
            round(r.bonus, 2), round(r.by_source.get("data", 0.0), 2),
            *[round(r.by_source.get(t, 0.0), 2) for t in types],
            *[round(per_leaf.get(leaf["key"], 0.0), 2) for leaf in res.leaves],
            "" if r.collaboration is None else round(r.collaboration, 1),
            "；".join(m.title for m in r.marks if m.kind == "award"),
            "；".join(m.title for m in r.marks if m.kind == "negative"),
        ])
    return header, rows


def export(job: ExportJob, progress: Progress) -> bytes:
    res = compute(job.scheme)
    header, rows = table(res, job.unit_id)
    progress(0, len(rows))
    title = f"{job.scheme.name} · {job.unit.name if job.unit else '全部派出单位'}"
    data = _xlsx(title, header, rows, progress) if job.fmt == ExportJob.Format.XLSX else _docx(
        title, job, header, rows, progress)
    progress(len(rows), len(rows))
    return data


def _xlsx(title: str, header: list[str], rows: list[list[Any]], progress: Progress) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    ws = wb.add_worksheet("考核结果")
    bold = wb.add_format({"bold": True})
    ws.write_string(0, 0, safe_cell(title), bold)
    ws.write_row(2, 0, [safe_cell(h) for h in header], bold)
    for i, row in enumerate(rows):
        ws.write_row(3 + i, 0, [safe_cell(v) for v in row])
        if i % 50 == 49:
            progress(i + 1, len(rows))
    ws.freeze_panes(3, 2)
    ws.set_column(1, 3, 16)
    wb.close()
    return out.getvalue()


def _docx(title: str, job: ExportJob, header: list[str], rows: list[list[Any]], progress: Progress) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading(title, level=1)
    s = job.scheme
    doc.add_paragraph(f"考核期：{s.period_start:%Y-%m-%d} 至 {s.period_end:%Y-%m-%d}；专班：{s.taskforce.name}；"
                      f"方案版本：第 {s.revision} 版。本表供派出单位年度考核参考。")
    # Word tables get unreadable past a dozen columns: the summary columns, not every indicator.
    keep = [i for i, h in enumerate(header) if i < 8 or h.endswith("得分") or h in ("协同指数", "揭榜挂帅奖励", "负面清单")]
    tbl = doc.add_table(rows=1, cols=len(keep))
    tbl.style = "Table Grid"
    for c, i in enumerate(keep):
        tbl.rows[0].cells[c].text = str(header[i])
    for n, row in enumerate(rows):
        cells = tbl.add_row().cells
        for c, i in enumerate(keep):
            cells[c].text = "" if row[i] is None else str(safe_cell(row[i]))
        if n % 50 == 49:
            progress(n + 1, len(rows))
    for r in tbl.rows:
        for cell in r.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
