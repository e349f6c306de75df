"""The .xlsx import of units and people: all or nothing, with a row-level report."""

from __future__ import annotations

import pytest

from tests.factories import PersonFactory, UserFactory
from zhuanban.core.models import AuditEvent
from zhuanban.org import importer
from zhuanban.org.import_template import write_template
from zhuanban.org.models import ImportJob, Person, Unit, User

GOOD_UNITS = [
    ("B市大数据管理局", "市大数据局", "党政机关", "市政府", "110000"),
    ("B市大数据中心", "", "事业单位", "B市大数据管理局", 110000),
    ("中科大脑科技有限公司", "中科大脑", "企业", "", ""),
]
GOOD_PEOPLE = [
    ("张伟", "市大数据局", "局长", "行政编制", "010-12345678", "是", "ZhangWei"),
    ("李娜", "B市大数据中心", "工程师", "事业编制", 13800138000, "否", ""),
    ("宋博文", "中科大脑", "首席科学家", "外部人员", "", "", "songbw"),
    ("王芳", "市政府", "副秘书长", "行政编制", "", "否", None),
]


def run(path, actor=None):
    return importer.run_import(actor, path, original_name=path.name)


def test_a_valid_workbook_creates_every_unit_and_person_with_one_import_event(directory, make_workbook):
    result = run(make_workbook(GOOD_UNITS, GOOD_PEOPLE))

    assert result.ok, result.errors
    assert (result.units_created, result.people_created) == (3, 4)
    bureau = Unit.objects.get(name="B市大数据管理局")
    assert bureau.parent == directory["gov"] and bureau.region == directory["region"]
    assert bureau.short_name == "市大数据局" and bureau.kind == Unit.Kind.PARTY_GOV
    assert Unit.objects.get(name="B市大数据中心").parent == bureau
    zhang = Person.objects.get(name="张伟")
    assert zhang.home_unit == bureau and zhang.is_unit_leader and zhang.phone == "010-12345678"
    assert zhang.user.username == "ZhangWei" and not zhang.user.has_usable_password()
    assert Person.objects.get(name="李娜").phone == "13800138000"  # a number cell, read as typed
    assert Person.objects.get(name="宋博文").staffing == Person.Staffing.EXTERNAL
    assert Person.objects.get(name="王芳").user is None
    events = AuditEvent.objects.filter(action="org.import")
    assert events.count() == 1
    assert events.get().after == {"file": result.job.original_name, "units": 3, "people": 4}
    job = ImportJob.objects.get()
    assert (job.status, job.processed, job.total, job.channel) == ("done", 7, 7, "cli")


def test_one_bad_row_imports_nothing_and_the_report_names_sheet_row_and_column(directory, make_workbook):
    people = [*GOOD_PEOPLE[:2], ("赵敏", "市大数据局", "", "合同工", "", "否", "")]
    units_before, people_before = Unit.objects.count(), Person.objects.count()

    result = run(make_workbook(GOOD_UNITS, people))

    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("人员", 4, "编制类型")]
    assert "未知的编制类型“合同工”" in result.errors[0].reason
    assert (Unit.objects.count(), Person.objects.count()) == (units_before, people_before)
    assert not User.objects.filter(username__iexact="zhangwei").exists()
    assert not AuditEvent.objects.filter(action__in=["org.import", "org.unit_create"]).exists()
    job = result.job
    assert job.status == "failed" and job.errors == [e.as_dict() for e in result.errors]


@pytest.mark.parametrize(
    "unit_row, column, reason",
    [
        (("", "", "党政机关", "", ""), "单位名称", "必填项"),
        (("B市水务局", "", "政府部门", "", ""), "单位类别", "未知的单位类别“政府部门”"),
        (("B市水务局", "", "党政机关", "市不存在局", ""), "上级单位", "找不到上级单位“市不存在局”"),
        (("B市水务局", "", "党政机关", "", "11000"), "区划代码", "6、9 或 12 位数字"),
        (("B市水务局", "", "党政机关", "", "120000"), "区划代码", "系统中没有区划代码 120000"),
        (("B市人民政府", "", "党政机关", "", ""), "单位名称", "已有同名单位"),
        (("B市水务局", "", "党政机关", "B市水务局", ""), "上级单位", "不能是本单位"),
        (("B市水务局" * 30, "", "党政机关", "", ""), "单位名称", "不能超过 120 个字符"),
        (("B市\n水务局", "", "党政机关", "", ""), "单位名称", "控制字符"),
    ],
)
def test_each_kind_of_bad_unit_row_is_reported_on_its_cell(directory, make_workbook, unit_row, column, reason):
    result = run(make_workbook([("B市园林绿化局", "", "党政机关", "", ""), unit_row]))

    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("单位", 3, column)]
    assert reason in result.errors[0].reason
    assert not Unit.objects.filter(name="B市园林绿化局").exists()


@pytest.mark.parametrize(
    "person_row, column, reason",
    [
        (("", "市政府", "", "行政编制", "", "", ""), "姓名", "必填项"),
        (("钱多", "", "", "行政编制", "", "", ""), "所在单位", "必填项"),
        (("钱多", "市不存在局", "", "行政编制", "", "", ""), "所在单位", "找不到单位“市不存在局”"),
        (("钱多", "市政府", "", "", "", "", ""), "编制类型", "必填项"),
        (("钱多", "市政府", "", "行政编制", "phone", "", ""), "联系电话", "只能包含数字"),
        (("钱多", "市政府", "", "行政编制", "", "也许", ""), "单位负责人", "请填写“是”或“否”"),
        (("钱多", "市政府", "", "行政编制", "", "", "qian duo"), "登录名", "只能包含字母"),
    ],
)
def test_each_kind_of_bad_person_row_is_reported_on_its_cell(directory, make_workbook, person_row, column, reason):
    result = run(make_workbook([], [("孙立", "市政府", "", "行政编制", "", "", ""), person_row]))

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("人员", 3, column)]
    assert reason in result.errors[0].reason
    assert not Person.objects.exists()


def test_rows_may_reference_units_further_down_the_same_file_by_full_or_short_name(directory, make_workbook):
    units = [
        ("H区城市运行指挥中心", "H区指挥中心", "事业单位", "H区政府", ""),  # parent defined two rows down
        ("中共B市H区委员会", "H区委", "党政机关", "", ""),
        ("B市H区人民政府", "H区政府", "党政机关", "市政府", ""),
    ]
    people = [("梁静", "H区指挥中心", "主任", "事业编制", "", "是", ""),
              ("杜宏伟", "中共B市H区委员会", "区委书记", "行政编制", "", "", "")]

    result = run(make_workbook(units, people))

    assert result.ok, result.errors
    centre = Unit.objects.get(short_name="H区指挥中心")
    assert centre.parent.name == "B市H区人民政府" and centre.parent.parent == directory["gov"]
    assert Person.objects.get(name="梁静").home_unit == centre


def test_a_cycle_of_parent_units_is_refused(directory, make_workbook):
    units = [("甲单位", "", "党政机关", "乙单位", ""), ("乙单位", "", "党政机关", "甲单位", "")]

    result = run(make_workbook(units))

    assert [(e.row, e.column) for e in result.errors] == [(2, "上级单位"), (3, "上级单位")]
    assert "循环" in result.errors[0].reason


def test_an_ambiguous_short_name_asks_for_the_full_name(directory, make_workbook):
    units = [("B市第一中学", "一中", "事业单位", "", ""), ("H区第一中学", "一中", "事业单位", "", "")]

    result = run(make_workbook(units, [("周老师", "一中", "", "事业编制", "", "", "")]))

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("人员", 2, "所在单位")]
    assert "对应多个单位" in result.errors[0].reason


def test_login_names_are_duplicates_regardless_of_case(directory, make_workbook):
    UserFactory(username="LiuYang")
    people = [
        ("张三", "市政府", "", "行政编制", "", "", "zhangsan"),
        ("李四", "市政府", "", "行政编制", "", "", "ZhangSan"),  # same login as row 2
        ("刘洋", "市政府", "", "行政编制", "", "", "liuyang"),  # taken in the directory
    ]

    result = run(make_workbook([], people))

    assert [(e.row, e.column) for e in result.errors] == [(3, "登录名"), (4, "登录名")]
    assert "第 2 行" in result.errors[0].reason and "不区分大小写" in result.errors[0].reason
    assert "已被系统中的账号使用" in result.errors[1].reason
    assert not Person.objects.exists()


def test_the_same_person_twice_in_one_unit_is_refused_as_a_duplicate(directory, make_workbook):
    PersonFactory(name="王芳", home_unit=directory["gov"], user=None)
    people = [("陈晨", "市政府", "", "行政编制", "", "", ""), ("陈晨", "B市人民政府", "", "行政编制", "", "", ""),
              ("王芳", "市政府", "", "行政编制", "", "", "")]

    result = run(make_workbook([], people))

    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名"), (4, "姓名")]


def test_a_header_without_a_required_column_is_reported_on_row_one(directory, make_workbook):
    path = make_workbook([("B市水务局", "党政机关")], unit_header=("单位名称", "类别"))

    result = run(path)

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("单位", 1, "单位类别")]


def test_a_file_that_is_not_a_workbook_is_a_report_not_a_crash(db, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")

    result = run(path)

    assert not result.ok and "不是有效的 .xlsx" in result.errors[0].reason
    assert result.job.status == "failed"


def test_an_empty_workbook_imports_nothing(db, make_workbook):
    result = run(make_workbook())

    assert not result.ok and "没有可导入的数据行" in result.errors[0].reason


def test_the_template_imports_its_example_rows_once_the_region_exists(directory, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)

    result = run(path)

    assert result.ok, result.errors
    assert Person.objects.get(name="张伟").home_unit.name == "市大数据管理局"


def test_an_admin_import_is_audited_under_the_admin(directory, make_workbook):
    admin = UserFactory(username="root", is_superuser=True)

    result = run(make_workbook(GOOD_UNITS[:1]), actor=admin)

    assert result.ok
    assert AuditEvent.objects.get(action="org.import").actor == admin
    assert AuditEvent.objects.get(action="org.unit_create").actor == admin
