"""Minutes as a .docx laid out as an official document (GB/T 9704-2012 党政机关公文格式).

The layout rules, in one place: A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right
26 mm (版心 156 × 225 mm); title in 2号 (22 pt) 小标宋; body in 3号 (16 pt) 仿宋, 28 pt line spacing
(22 lines a page).  East-Asian text takes its font from ``w:rFonts/@w:eastAsia``, so it is set on every
run (and on the Normal style), not only the Latin name.

Fonts: 方正小标宋简体 and 仿宋_GB2312 (or FangSong) when installed (``fc-list :lang=zh family``); else
the installed CJK fonts (Noto Serif CJK SC / Noto Sans CJK SC).  Which fonts were used is returned,
written into the document's core properties (comments), and shown to the user by the caller.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone

from .models import Meeting

TITLE_PT, BODY_PT, HEADING_PT = 22, 16, 16
TITLE_PREFERRED = ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "小标宋")
BODY_PREFERRED = ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312")
HEADING_PREFERRED = ("黑体", "SimHei")
FALLBACK_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN")
FALLBACK_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei")


@dataclass(frozen=True)
class Fonts:
    title: str
    body: str
    heading: str
    fallback: bool

    def describe(self) -> str:
        note = "（未安装公文字体，已改用系统中文字体）" if self.fallback else ""
        return f"标题：{self.title}；正文：{self.body}；小标题：{self.heading}{note}"


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    if not shutil.which("fc-list"):
        return frozenset()
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(",") if name.strip())


def choose_fonts(families: frozenset[str] | None = None) -> Fonts:
    fams = installed_families() if families is None else families

    def pick(preferred: tuple[str, ...], fallback: tuple[str, ...]) -> tuple[str, bool]:
        for name in preferred:
            if name in fams:
                return name, False
        for name in fallback:
            if name in fams:
                return name, True
        return fallback[0], True  # nothing CJK installed: name the usual one, the reader's Word substitutes

    title, f1 = pick(TITLE_PREFERRED, FALLBACK_SERIF)
    body, f2 = pick(BODY_PREFERRED, FALLBACK_SERIF)
    heading, f3 = pick(HEADING_PREFERRED, FALLBACK_SANS)
    return Fonts(title, body, heading, f1 or f2 or f3)


def _font(run, name: str, size: float, bold: bool = False) -> None:  # noqa: ANN001
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def minutes_docx(meeting: Meeting, decisions: list, attendance: list, fonts: Fonts | None = None
                 ) -> tuple[bytes, Fonts]:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    fonts = fonts or choose_fonts()
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = fonts.body
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), fonts.body)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)

    def para(text: str, *, font: str = fonts.body, size: float = BODY_PT, bold: bool = False,
             align: int | None = None, indent: bool = True) -> None:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
        _font(p.add_run(text), font, size, bold)

    para(f"{meeting.taskforce.name}", font=fonts.title, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
         indent=False)
    para(f"{meeting.title}纪要", font=fonts.title, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    para("")
    start = timezone.localtime(meeting.starts_at)
    para(f"{start:%Y年%m月%d日 %H:%M}，{meeting.taskforce.name}在{meeting.location or '（地点待定）'}"
         f"召开{meeting.get_kind_display()}。")
    present = [a for a in attendance if a.status == "present"]
    if present:
        para("出席：" + "、".join(f"{a.person.name}（{a.unit.name if a.unit_id else a.person.home_unit}）"
                                 for a in present) + "。")
    absent = [a for a in attendance if a.status == "absent"]
    if absent:
        para("请假：" + "、".join(f"{a.person.name}（{a.reason}"
                                 + (f"，{a.substitute.name}代为参会" if a.substitute_id else "") + "）"
                                 for a in absent) + "。")
    para("一、会议纪要", font=fonts.heading, indent=True)
    for line in (meeting.minutes or "（无）").splitlines():
        if line.strip():
            para(line.strip())
    if decisions:
        para("二、议定事项", font=fonts.heading, indent=True)
        for i, d in enumerate(decisions, start=1):
            who = "；".join(x for x in (
                f"牵头单位：{d.lead_unit}" if d.lead_unit_id else "",
                f"责任人：{d.responsible.name}" if d.responsible_id else "",
                f"完成时限：{d.due_on:%Y年%m月%d日}" if d.due_on else "") if x)
            para(f"（{_cn(i)}）{d.text}" + (f"（{who}）" if who else ""))
    para("")
    para(f"{meeting.taskforce.name}办公室", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    para(f"{start:%Y年%m月%d日}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    core = doc.core_properties
    core.title = f"{meeting.title}纪要"
    core.author = "Zhuanban 工作专班平台"
    core.comments = "GB/T 9704-2012 版式；字体：" + fonts.describe()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), fonts


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
