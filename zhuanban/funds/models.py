"""The ledger of a task force (经费 · 办公保障): budget lines, expenses against them, procurement records and
the office space / equipment it uses (borrowed from member units or bought), returned at dissolution.

Money is ``DecimalField(14, 2)``: yuan with fen, never floats.  What a line has spent is not stored: it is
the sum of its recorded (not voided) expenses, computed under a row lock on the line when an expense is
written (``services._lock_line``), so two concurrent expenses cannot together exceed the line.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from zhuanban.core.models import VersionedModel
from zhuanban.files.models import Attachment
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.models import TaskForce

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class BudgetLine(VersionedModel):
    """One approved (or awaiting approval) amount of money for one purpose, with its source and basis."""

    class Source(models.TextChoices):
        FISCAL = "fiscal", "财政拨款"
        SELF = "self", "部门自筹"
        SPECIAL = "special", "上级专项资金"
        SOCIAL = "social", "社会资金"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PENDING = "pending", "待批准"
        APPROVED = "approved", "已批准"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE,
                                  related_name="budget_lines")
    name = models.CharField("预算线", max_length=100)
    source = models.CharField("资金来源", max_length=16, choices=Source.choices, default=Source.FISCAL)
    document_no = models.CharField("批准文号", max_length=100, blank=True)
    amount = models.DecimalField("预算金额（元）", **MONEY)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = "预算线"
        verbose_name_plural = "预算线"
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_line_amount_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Expense(VersionedModel):
    """Money spent against one approved budget line."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "已列支"
        VOID = "void", "已冲销"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE, related_name="expenses")
    line = models.ForeignKey(BudgetLine, verbose_name="预算线", on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField("支出日期")
    payee = models.CharField("收款方", max_length=200)
    purpose = models.CharField("用途", max_length=300)
    amount = models.DecimalField("金额（元）", **MONEY)
    attachment = models.ForeignKey(Attachment, verbose_name="票据附件", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Who approved the spending (审批人): an active leader or office member of the task force.
    approved_by = models.ForeignKey(Person, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECORDED)
    void_reason = models.CharField("冲销原因", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = "支出"
        verbose_name_plural = "支出"
        indexes = [models.Index(fields=["line", "status"], name="funds_expense_line_status")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive")]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.purpose} {self.amount}"


class Procurement(VersionedModel):
    """A purchase made for the task force (what, how, from whom, for how much, paid by which expense)."""

    class Method(models.TextChoices):
        GOV = "government", "政府采购"
        INQUIRY = "inquiry", "询价采购"
        SINGLE = "single", "单一来源"
        DIRECT = "direct", "小额直接采购"
        OTHER = "other", "其他"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE,
                                  related_name="procurements")
    item = models.CharField("采购内容", max_length=200)
    method = models.CharField("采购方式", max_length=16, choices=Method.choices, default=Method.DIRECT)
    supplier = models.CharField("供应商", max_length=200)
    amount = models.DecimalField("金额（元）", **MONEY)
    contract_no = models.CharField("合同编号", max_length=100, blank=True)
    purchased_on = models.DateField("采购日期")
    expense = models.ForeignKey(Expense, verbose_name="对应支出", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="procurements")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-purchased_on", "-id"]
        verbose_name = "采购记录"
        verbose_name_plural = "采购记录"

    def __str__(self) -> str:
        return self.item


class Resource(VersionedModel):
    """Office space or equipment the task force uses: borrowed from a unit, allocated, or bought; returned
    (or handed over) at dissolution — a resource not returned is an open item of the dissolution checklist."""

    class Kind(models.TextChoices):
        OFFICE = "office", "办公用房"
        MEETING_ROOM = "meeting_room", "会议室"
        EQUIPMENT = "equipment", "办公设备"
        VEHICLE = "vehicle", "车辆"
        OTHER = "other", "其他"

    class Origin(models.TextChoices):
        BORROWED = "borrowed", "借用"
        ALLOCATED = "allocated", "调配"
        PURCHASED = "purchased", "采购"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices, default=Kind.EQUIPMENT)
    name = models.CharField("名称", max_length=200)
    quantity = models.PositiveIntegerField("数量", default=1)
    origin = models.CharField("来源", max_length=16, choices=Origin.choices, default=Origin.BORROWED)
    lent_by = models.ForeignKey(Unit, verbose_name="出借/调配单位", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    procurement = models.ForeignKey(Procurement, verbose_name="采购记录", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="resources")
    custodian = models.ForeignKey(Person, verbose_name="保管人", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    borrowed_on = models.DateField("启用日期")
    returned_on = models.DateField("归还日期", null=True, blank=True)
    returned_to = models.CharField("归还/移交给", max_length=200, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["returned_on", "id"]
        verbose_name = "办公用房与设备"
        verbose_name_plural = "办公用房与设备"
        indexes = [models.Index(fields=["taskforce", "returned_on"], name="funds_resource_tf_returned")]

    def __str__(self) -> str:
        return f"{self.name}×{self.quantity}" if self.quantity > 1 else self.name

    @property
    def is_returned(self) -> bool:
        return self.returned_on is not None
