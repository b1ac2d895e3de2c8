"""The city's plans and their strategy trees (dimension > sub-dimension > goal > strategy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.numbers import to_thai_digits

from .reference import localized


class Plan(models.Model):
    code = models.SlugField(_("รหัสแผน"), max_length=40, unique=True)
    name_th = models.CharField(_("ชื่อแผน (ไทย)"), max_length=300)
    name_en = models.CharField(_("ชื่อแผน (อังกฤษ)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("แผน")
        verbose_name_plural = _("แผน")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class NodeLevel(models.IntegerChoices):
    DIMENSION = 1, _("ด้าน")
    SUB_DIMENSION = 2, _("มิติ")
    GOAL = 3, _("เป้าหมาย")
    STRATEGY = 4, _("กลยุทธ์")


class StrategyNodeQuerySet(models.QuerySet):
    def dimensions(self) -> "StrategyNodeQuerySet":
        return self.filter(level=NodeLevel.DIMENSION)


class StrategyNode(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("ระดับ"), choices=NodeLevel.choices)
    code = models.CharField(_("รหัส"), max_length=20)
    name_th = models.TextField(_("ชื่อ (ไทย)"))
    name_en = models.TextField(_("ชื่อ (อังกฤษ)"), blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    color = models.CharField(_("สี"), max_length=7, blank=True)

    objects = StrategyNodeQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("ยุทธศาสตร์")
        verbose_name_plural = _("โครงสร้างยุทธศาสตร์")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_node_code_per_plan"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="node_level_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def dimension_code(self) -> str:
        return self.code.split(".")[0]

    def ancestor_codes(self) -> list[str]:
        """Codes from the dimension down to this node: 5.2.1.1 → 5, 5.2, 5.2.1, 5.2.1.1."""
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]

    def label_th(self) -> str:
        """The node as the city's pages write it, codes in Thai digits."""
        code = to_thai_digits(self.code)
        if self.level == NodeLevel.DIMENSION:
            label = f"ด้านที่ {code} - {self.name_th}"
            return f"{label} : {self.name_en}" if self.name_en else label
        if self.level == NodeLevel.SUB_DIMENSION:
            return f"{code} - {self.name_th}"
        return f"{code} {self.name_th}"
