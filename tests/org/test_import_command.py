"""``zhuanban import FILE.xlsx`` and ``zhuanban import --template OUT.xlsx``."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from zhuanban import cli
from zhuanban.org.models import Person, Unit


# call_command, not cli.main, where the database is touched: run_from_argv closes every connection when
# the command ends, which would end the test's transaction on PostgreSQL.
def test_a_good_file_is_imported_and_the_command_says_so(directory, make_workbook, capsys):
    path = make_workbook([("B市水务局", "市水务局", "党政机关", "市政府", "110000")],
                         [("王海", "市水务局", "副局长", "行政编制", "", "否", "wanghai")])

    call_command("import", str(path), "--no-progress")

    out = capsys.readouterr().out
    assert "导入成功：新增单位 1 个、人员 1 名" in out
    assert Person.objects.get(name="王海").home_unit.name == "B市水务局"


def test_a_bad_file_exits_with_1_prints_the_report_and_imports_nothing(directory, make_workbook, capsys):
    path = make_workbook([("B市水务局", "", "党政机关", "", ""), ("B市交通委员会", "", "机关", "", "")],
                         [("王海", "市水务局", "", "行政编制", "", "", "")])

    with pytest.raises(CommandError) as exit_info:
        call_command("import", str(path), "--no-progress")

    assert exit_info.value.returncode == 1
    err = capsys.readouterr().err
    assert "导入失败，未导入任何数据" in err
    assert "工作表“单位”，第 3 行，“单位类别”列：未知的单位类别“机关”" in err
    assert not Unit.objects.filter(name="B市水务局").exists()


def test_a_missing_file_is_an_error(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["import", str(tmp_path / "nope.xlsx")])

    assert exit_info.value.code == 1
    assert "文件不存在" in capsys.readouterr().err


def test_the_template_option_writes_headers_and_an_example_row(db, tmp_path, capsys):
    out = tmp_path / "template.xlsx"

    cli.main(["import", "--template", str(out)])

    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb["单位"][1]] == ["单位名称", "简称", "单位类别", "上级单位", "区划代码"]
    assert [c.value for c in wb["人员"][1]] == ["姓名", "所在单位", "职务", "编制类型", "联系电话", "单位负责人", "登录名"]
    assert wb["人员"]["A2"].value == "张伟"
    assert "已生成导入模板" in capsys.readouterr().out
