"""Forms of the web UI.

Forms only parse and shape input; the domain rules live in the services, whose ``DomainError`` is put
back next to the right field by :func:`apply_error`.  Field names equal the service keyword arguments,
so ``DomainError.fields`` maps straight onto the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhuanban.core.errors import DomainError
from zhuanban.core.labels import SecurityLabel
from zhuanban.org.models import Person, Region, Unit
from zhuanban.taskforces import access
from zhuanban.taskforces.models import DemandItem, Membership, MemberUnit, TaskForce, ThemeGroup

TF = TaskForce


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapForm(forms.Form):
    """Adds Bootstrap classes to every widget; rendering is done by ``web/forms/field.html``."""

    # Fields the service requires although the form lets them through (its message is the better one).
    mark_required: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.RadioSelect | forms.CheckboxSelectMultiple):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.CheckboxInput):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            elif isinstance(w, forms.Textarea):
                w.attrs.setdefault("class", "form-control")
                if str(w.attrs.get("rows")) == "10":  # Django's default is too tall, on phones especially
                    w.attrs["rows"] = 3
            elif not isinstance(w, forms.HiddenInput):
                w.attrs.setdefault("class", "form-control")


def apply_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: each ``exc.fields`` entry next to its field, and the
    message itself as an alert when no field carries it (or it says more than the field note)."""
    matched = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            matched = True
    if not matched or exc.message not in exc.fields.values():
        form.add_error(None, exc.message)


def person_label(p: Person) -> str:
    return f"{p.name}（{p.home_unit}{'，' + p.post if p.post else ''}）"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return person_label(obj)


class MemberUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberUnit) -> str:  # type: ignore[override]
        return f"{obj.unit}（{obj.get_role_display()}）"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return obj.name


def unit_queryset(user: Any) -> QuerySet[Unit]:
    return access.visible_units(user).order_by("name")


def people_queryset(user: Any) -> QuerySet[Person]:
    return access.visible_people(user).select_related("home_unit").order_by("name", "id")


# ---- the task force itself (wizard steps 1–3 and the edit form) ------------------------------------

POSITIONING_FIELDS = ["name", "core_matter", "goals", "basis", "basis_document_no", "basis_note",
                      "established_on", "planned_end", "dissolution_conditions", "region"]
TYPOLOGY_FIELDS = ["task_nature", "purpose", "entity_operation", "boundary_override", "boundary_override_reason"]
LABEL_FIELDS = ["security_label"]  # the edit form only; a new task force starts 内部
STRUCTURE_FIELDS = ["decision_mode", "leading_body", "lead_unit", "parent", "parent_relation", "is_office"]

ENTITY_CHOICES = [("1", _("是：设有工作组或集中办公（实体化运作）")), ("0", _("否：无实体化运作"))]


def _entity(value: Any) -> bool:
    return value in (True, "1", "True", "true", 1)


class PositioningForm(BootstrapForm):
    mark_required = frozenset({"name", "core_matter", "basis"})
    name = forms.CharField(label=_("专班名称"), max_length=120, required=False)
    core_matter = forms.CharField(label=_("核心事务"), widget=forms.Textarea, required=False)
    goals = forms.CharField(label=_("工作目标"), widget=forms.Textarea, required=False,
                            help_text=_("尽量量化，例如“两个月内线上服务覆盖率提升到 90%”"))
    basis = forms.ChoiceField(label=_("设立依据"), choices=[("", "——")] + TF.Basis.choices, required=False)
    basis_document_no = forms.CharField(label=_("文号"), max_length=80, required=False,
                                        help_text=_("正式发文设立的须填写"))
    basis_note = forms.CharField(label=_("依据说明"), max_length=200, required=False)
    established_on = forms.DateField(label=_("设立日期"), widget=DateInput(),
                                     error_messages={"required": _("请填写设立日期")})
    planned_end = forms.DateField(label=_("计划结束日期"), widget=DateInput(), required=False)
    dissolution_conditions = forms.CharField(label=_("撤销条件"), widget=forms.Textarea, required=False,
                                             help_text=_("核心任务完成的标志，达到后专班撤销、人员回归原单位"))
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=Region.objects.order_by("code"), required=False,
                                    empty_label=_("（不限）"))


class TypologyForm(BootstrapForm):
    task_nature = forms.ChoiceField(label=_("任务性质"), choices=TF.Nature.choices, widget=forms.RadioSelect,
                                    error_messages={"required": _("请选择任务性质")})
    purpose = forms.ChoiceField(label=_("工作目的"), choices=TF.Purpose.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("请选择工作目的")})
    entity_operation = forms.TypedChoiceField(
        label=_("实体化运作"), choices=ENTITY_CHOICES, coerce=_entity, widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否实体化运作")},
    )
    boundary_override = forms.ChoiceField(
        label=_("成员边界"), choices=[("", _("根据成员自动认定（推荐）"))] + TF.Boundary.choices, required=False,
        help_text=_("默认根据成员自动认定：有政府系统以外的单位或人员即为跨界"),
    )
    boundary_override_reason = forms.CharField(label=_("人工认定理由"), max_length=200, required=False)


class StructureForm(BootstrapForm):
    decision_mode = forms.ChoiceField(label=_("决策模式"), choices=TF.DecisionMode.choices,
                                      widget=forms.RadioSelect, error_messages={"required": _("请选择决策模式")})
    leading_body = forms.CharField(label=_("领导中枢机构"), max_length=120, required=False,
                                   help_text=_("领导中枢决策模式填写，如“某某工作领导小组”“联席会议办公室”"))
    lead_unit = UnitChoiceField(label=_("牵头部门"), queryset=Unit.objects.none(), required=False,
                                empty_label=_("（请选择）"))
    parent = forms.ModelChoiceField(label=_("上级专班"), queryset=TaskForce.objects.none(), required=False,
                                    empty_label=_("（无）"))
    parent_relation = forms.ChoiceField(label=_("与上级关系"), choices=[("", "——")] + TF.ParentRelation.choices,
                                        required=False)
    is_office = forms.BooleanField(label=_("本专班是统筹N个专班的办公室（一办N专班）"), required=False)

    def __init__(self, *args: Any, user: Any, exclude: TaskForce | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = unit_queryset(user)
        parents = access.visible_taskforces(user).exclude(status__in=access.CLOSED).order_by("name")
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
            if exclude.parent_id and not parents.filter(pk=exclude.parent_id).exists():
                # The current parent is closed or outside the editor's view: it is kept as it is and
                # not offered (an absent choice would otherwise post "" and silently unlink it).
                del self.fields["parent"]
                del self.fields["parent_relation"]
                return
        self.fields["parent"].queryset = parents


class WizardStructureForm(StructureForm):
    groups = forms.CharField(label=_("专题推进组"), widget=forms.Textarea, required=False,
                             help_text=_("每行一个，例如“综合协调组”“技术保障组”；以后也可以再添加"))

    def clean_groups(self) -> list[str]:
        seen: list[str] = []
        for line in self.cleaned_data.get("groups", "").splitlines():
            name = line.strip()
            if name and name not in seen:
                seen.append(name)
        return seen


class TaskForceEditForm(PositioningForm, TypologyForm, StructureForm):
    """The edit form: everything a manager may change, with the version it was based on."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    security_label = forms.ChoiceField(label=_("安全标签"), choices=SecurityLabel.choices,
                                       help_text=_("敏感：仅在岗的内部成员、上级统筹者和系统管理员可见"))

    @classmethod
    def initial_for(cls, tf: TaskForce) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(tf, name) for name in POSITIONING_FIELDS + TYPOLOGY_FIELDS
                                + STRUCTURE_FIELDS + LABEL_FIELDS}
        data["entity_operation"] = "1" if tf.entity_operation else "0"
        data["version"] = tf.version
        return data

    def changes(self, tf: TaskForce) -> dict[str, Any]:
        """Only what differs from the row, so the audit trail records real changes."""
        out = {}
        for name in POSITIONING_FIELDS + TYPOLOGY_FIELDS + STRUCTURE_FIELDS + LABEL_FIELDS:
            if name not in self.fields:
                continue
            new = self.cleaned_data.get(name)
            old = getattr(tf, name)
            if isinstance(new, str) and old is None:
                old = ""
            if new != old and not (new in ("", None) and old in ("", None)):
                out[name] = new
        return out


# ---- membership ----------------------------------------------------------------------------------


class MemberUnitForm(BootstrapForm):
    unit = UnitChoiceField(label=_("单位"), queryset=Unit.objects.none(), empty_label=_("（请选择单位）"),
                           error_messages={"required": _("请选择单位")})
    role = forms.ChoiceField(label=_("单位角色"), choices=MemberUnit.Role.choices,
                             initial=MemberUnit.Role.PARTICIPATING)
    joined_on = forms.DateField(label=_("加入日期"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_queryset(user)


class MemberUnitWithLiaisonForm(MemberUnitForm):
    """Wizard step 4: a member unit and, at once, the liaison who speaks for it."""

    liaison = PersonChoiceField(label=_("联络员"), queryset=Person.objects.none(), required=False,
                                empty_label=_("（暂不指定）"),
                                help_text=_("每个成员单位须有且只有一名在岗联络员"))
    liaison_workload_pct = forms.IntegerField(label=_("联络员工作量占比(%)"), initial=20, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["liaison"].queryset = people_queryset(user)


class JoinForm(BootstrapForm):
    person = PersonChoiceField(label=_("人员"), queryset=Person.objects.none(), empty_label=_("（请选择人员）"),
                               error_messages={"required": _("请选择人员")})
    role = forms.ChoiceField(label=_("专班职务"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    member_unit = MemberUnitChoiceField(label=_("代表的成员单位"), queryset=MemberUnit.objects.none(),
                                        required=False, empty_label=_("（无）"),
                                        help_text=_("联络员必须选择其代表的成员单位"))
    dispatching_unit = UnitChoiceField(label=_("派出单位"), queryset=Unit.objects.none(), required=False,
                                       empty_label=_("（默认为本人所在单位）"))
    group = forms.ModelChoiceField(label=_("所在专题组"), queryset=ThemeGroup.objects.none(), required=False,
                                   empty_label=_("（无）"))
    full_time = forms.BooleanField(label=_("专职（全脱产）"), required=False)
    workload_pct = forms.IntegerField(label=_("工作量占比(%)"), initial=0,
                                      error_messages={"required": _("请填写工作量占比")})
    start_on = forms.DateField(label=_("加入日期"), widget=DateInput(), required=False,
                               help_text=_("不填则为今天"))
    decided_by = forms.CharField(label=_("决定人/决定机构"), max_length=120, required=False)
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, tf: TaskForce, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_queryset(user)
        self.fields["member_unit"].queryset = tf.member_units.filter(left_on__isnull=True).select_related("unit")
        self.fields["dispatching_unit"].queryset = unit_queryset(user)
        self.fields["group"].queryset = tf.groups.all()


class LeaveForm(BootstrapForm):
    on = forms.DateField(label=_("退出日期"), widget=DateInput(), required=False, help_text=_("不填则为今天"))
    decided_by = forms.CharField(label=_("决定人/决定机构"), max_length=120, required=False)
    reason = forms.CharField(label=_("退出理由"), max_length=300, required=False)


class ReplaceForm(BootstrapForm):
    successor = PersonChoiceField(label=_("接任人"), queryset=Person.objects.none(), empty_label=_("（请选择）"),
                                  error_messages={"required": _("请选择接任人")})
    on = forms.DateField(label=_("交接日期"), widget=DateInput(), required=False, help_text=_("不填则为今天"))
    decided_by = forms.CharField(label=_("决定人/决定机构"), max_length=120, required=False)
    reason = forms.CharField(label=_("替换理由"), max_length=300, required=False)
    note = forms.CharField(label=_("交接说明"), widget=forms.Textarea, required=False,
                           help_text=_("交代给接任人的在办事项、联系人和注意事项"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = people_queryset(user)


class UnitExitForm(BootstrapForm):
    on = forms.DateField(label=_("退出日期"), widget=DateInput(), required=False, help_text=_("不填则为今天"))
    reason = forms.CharField(label=_("退出理由"), max_length=300, required=False)


class GroupForm(BootstrapForm):
    mark_required = frozenset({"name"})
    name = forms.CharField(label=_("专题组名称"), max_length=100, required=False)
    lead_unit = UnitChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False,
                                empty_label=_("（无）"))
    lead_person = PersonChoiceField(label=_("负责人"), queryset=Person.objects.none(), required=False,
                                    empty_label=_("（无）"))

    def __init__(self, *args: Any, user: Any, tf: TaskForce, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = unit_queryset(user)
        self.fields["lead_person"].queryset = Person.objects.filter(
            memberships__taskforce=tf, memberships__end_on__isnull=True
        ).select_related("home_unit").distinct().order_by("name")


class DemandForm(BootstrapForm):
    mark_required = frozenset({"title"})
    title = forms.CharField(label=_("需求事项"), max_length=200, required=False)
    source = forms.CharField(label=_("来源"), max_length=120, required=False, help_text=_("如“联合调研走访”"))
    owner = PersonChoiceField(label=_("负责人"), queryset=Person.objects.none(), required=False,
                              empty_label=_("（未指定）"))

    def __init__(self, *args: Any, tf: TaskForce, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(
            memberships__taskforce=tf, memberships__end_on__isnull=True
        ).select_related("home_unit").distinct().order_by("name")


class DemandStatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("状态"), choices=DemandItem.Status.choices)
    handed_over_to = forms.CharField(label=_("移交去向"), max_length=120, required=False,
                                     help_text=_("移交时填写：移交给哪个单位、专班或人员"))


class TargetForm(BootstrapForm):
    mark_required = frozenset({"description"})
    description = forms.CharField(label=_("目标"), max_length=200, required=False)
    metric = forms.CharField(label=_("指标"), max_length=80, required=False)
    target_value = forms.DecimalField(label=_("目标值"), max_digits=14, decimal_places=2, required=False)
    unit_of_measure = forms.CharField(label=_("计量单位"), max_length=20, required=False)
    due_on = forms.DateField(label=_("完成时限"), widget=DateInput(), required=False)


# ---- lifecycle -----------------------------------------------------------------------------------


class ReasonForm(BootstrapForm):
    mark_required = frozenset({"reason"})
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea, required=False)


class DissolveForm(BootstrapForm):
    mark_required = frozenset({"summary", "lessons"})
    summary = forms.CharField(label=_("工作总结"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                              help_text=_("任务完成情况、主要成效"))
    lessons = forms.CharField(label=_("经验做法"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                              help_text=_("将反馈给各派出单位共享"))
    on = forms.DateField(label=_("解散日期"), widget=DateInput(), required=False, help_text=_("不填则为今天"))


class MergeForm(BootstrapForm):
    into = forms.ModelChoiceField(label=_("并入专班"), queryset=TaskForce.objects.none(),
                                  empty_label=_("（请选择）"), error_messages={"required": _("请选择要并入的专班")})
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, tf: TaskForce, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            access.visible_taskforces(user).exclude(pk=tf.pk).exclude(status__in=access.CLOSED).order_by("name")
        )

