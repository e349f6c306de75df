"""Org-directory use cases: the only code that changes regions, units, people and accounts."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from zhuanban.core import audit
from zhuanban.core.errors import Conflict, Forbidden, Invalid
from zhuanban.core.masking import mask_id_card, mask_phone

from .models import Person, Region, Unit, User

# GB 11643: 17 digits and a check character (digit or X).
ID_CARD = re.compile(r"^\d{17}[\dX]$")


def can_view_personal_data(actor: Any, person: Person) -> bool:
    from zhuanban.taskforces.access import can_view_personal_data as rule

    return rule(actor, person)


def _require_directory_admin(actor: Any) -> None:
    if actor is None:  # trusted internal callers (demo loader, CLI import as system)
        return
    if not (actor.is_superuser or actor.has_perm("org.add_unit")):
        raise Forbidden("只有系统管理员可以维护组织名录")


@transaction.atomic
def create_region(actor: Any, *, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    _require_directory_admin(actor)
    if level not in Region.Level.values:
        raise Invalid("invalid_level", "区划层级无效", {"level": "层级无效"})
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise Invalid("invalid_code", "区划代码须为 6、9 或 12 位数字（GB/T 2260）", {"code": "代码格式错误"})
    if Region.objects.filter(code=code).exists():
        raise Conflict("duplicate_region", f"区划代码 {code} 已存在", {"code": "已存在"})
    region = Region.objects.create(code=code, name=name, level=level, parent=parent)
    return region


@transaction.atomic
def create_unit(actor: Any, *, name: str, kind: str, short_name: str = "", parent: Unit | None = None,
                region: Region | None = None) -> Unit:
    _require_directory_admin(actor)
    fields = {}
    if not name.strip():
        fields["name"] = "请填写单位名称"
    if kind not in Unit.Kind.values:
        fields["kind"] = "单位类别无效"
    if fields:
        raise Invalid("invalid_unit", next(iter(fields.values())), fields)
    if Unit.objects.filter(name=name).exists():
        raise Conflict("duplicate_unit", f"单位“{name}”已存在", {"name": "已存在"})
    unit = Unit.objects.create(name=name, kind=kind, short_name=short_name, parent=parent, region=region)
    audit.record(actor, "org.unit_create", unit, after={"name": name, "kind": kind})
    return unit


@transaction.atomic
def create_person(actor: Any, *, name: str, home_unit: Unit, staffing: str, post: str = "", phone: str = "",
                  is_unit_leader: bool = False, username: str = "", password: str | None = None,
                  id_card_no: str = "") -> Person:
    _require_directory_admin(actor)
    fields = {}
    if not name.strip():
        fields["name"] = "请填写姓名"
    id_card_no = (id_card_no or "").strip().upper()
    if id_card_no and not ID_CARD.match(id_card_no):
        fields["id_card_no"] = "身份证号须为 18 位（末位可为 X）"
    if staffing not in Person.Staffing.values:
        fields["staffing"] = "编制类型无效"
    if fields:
        raise Invalid("invalid_person", next(iter(fields.values())), fields)
    user = None
    if username:
        if User.objects.filter(username__iexact=username).exists():
            raise Conflict("duplicate_username", f"登录名“{username}”已被使用", {"username": "已被使用"})
        user = User(username=username, first_name=name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    person = Person.objects.create(name=name, home_unit=home_unit, staffing=staffing, post=post, phone=phone,
                                   id_card_no=id_card_no, is_unit_leader=is_unit_leader, user=user)
    # Personal data enters the trail masked: the audit trail must not become a plaintext copy of it.
    audit.record(actor, "org.person_create", person,
                 after={"name": name, "home_unit": home_unit.pk, "staffing": staffing, "username": username,
                        "phone": mask_phone(phone), "id_card_no": mask_id_card(id_card_no)})
    return person


def reveal_personal_data(actor: Any, person: Person) -> dict[str, Any]:
    """The unmasked phone and ID-card number, for those allowed; every view (and refusal) is audited.

    The caller has already checked that ``actor`` may see ``person`` at all (else 404).
    """
    if not can_view_personal_data(actor, person):
        with transaction.atomic():
            audit.record(actor, "org.pii_view", person, outcome="failure", note="无权查看完整个人信息")
        raise Forbidden("只有本人、所在单位负责人或系统管理员可以查看完整个人信息")
    with transaction.atomic():
        audit.record(actor, "org.pii_view", person, after={"fields": ["phone", "id_card_no"]})
    return {"id": person.pk, "name": person.name, "phone": person.phone, "id_card_no": person.id_card_no}
