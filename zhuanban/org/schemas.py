"""API shapes of the org directory (units, people) and the functions that fill them."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from zhuanban.core.schemas import Filters, Input, Ref, ref
from zhuanban.taskforces.schemas import MembershipOut

from .models import Person, Region, Unit


class RegionOut(Ref):
    code: str
    level: str


def region_out(r: Region | None) -> dict[str, Any] | None:
    return {"id": r.pk, "name": r.name, "code": r.code, "level": r.level} if r is not None else None


class UnitFilters(Filters):
    q: str | None = Field(None, description="名称或简称包含")
    kind: str | None = Field(None, json_schema_extra={"enum": list(Unit.Kind.values)})
    region: int | None = Field(None, description="区划 id（含其下级区划）")


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    is_government: bool = Field(description="政府系统内（党政机关、人大政协、事业单位）；其他类别的成员使专班成为跨界")
    parent: Ref | None
    region: RegionOut | None


class UnitDetail(UnitOut):
    children: list[Ref]


class UnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


class UnitIn(Input):
    name: str
    kind: str = Field(description="单位类别", json_schema_extra={"enum": list(Unit.Kind.values)})
    short_name: str = ""
    parent: int | None = Field(None, description="上级单位 id")
    region: int | None = Field(None, description="区划 id")


def unit_out(u: Unit) -> dict[str, Any]:
    return {"id": u.pk, "name": u.name, "short_name": u.short_name, "kind": u.kind,
            "kind_label": u.get_kind_display(), "is_government": u.is_government, "parent": ref(u.parent), "region": region_out(u.region)}


class PersonFilters(Filters):
    q: str | None = Field(None, description="姓名或职务包含")
    unit: int | None = Field(None, description="所在单位 id")


class PersonOut(Schema):
    id: int
    name: str
    home_unit: Ref
    post: str
    staffing: str
    staffing_label: str
    is_unit_leader: bool
    is_external: bool = Field(description="外部人员或来自政府系统以外的单位")


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class LoadOut(Schema):
    total_pct: int = Field(description="在各运行中专班的工作量占比合计")
    active_count: int = Field(description="在岗的专班数")
    limit: int = Field(description="专班数上限（超过即预警）")
    warnings: list[str]


class PersonDetail(PersonOut):
    phone: str = Field(description="联系电话（脱敏，如 138****5678；完整信息见 /people/{id}/unmasked）")
    id_card_no: str = Field(description="身份证号（脱敏：前 6 位与后 4 位）")
    load: LoadOut
    secondments: list[MembershipOut] = Field(description="调用者可见的全部抽调经历（含已结束），新在前")


class PersonIn(Input):
    name: str
    home_unit: int = Field(description="所在单位 id")
    staffing: str = Field(description="编制类型", json_schema_extra={"enum": list(Person.Staffing.values)})
    post: str = ""
    phone: str = Field("", max_length=30)
    id_card_no: str = Field("", max_length=18, pattern=r"^(\d{17}[\dXx])?$",
                            description="18 位身份证号（可选；加密存储，页面与接口脱敏显示）")
    is_unit_leader: bool = False
    username: str = Field("", description="登录名（可选；账号初始无密码，由管理员设置或签发令牌）")


def person_out(p: Person) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "home_unit": ref(p.home_unit), "post": p.post, "staffing": p.staffing,
            "staffing_label": p.get_staffing_display(), "is_unit_leader": p.is_unit_leader,
            "is_external": p.is_external}


class PersonUnmaskedOut(Schema):
    id: int
    name: str
    phone: str
    id_card_no: str
