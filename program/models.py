"""The programme catalogue: projects (Dự án, Tiểu dự án) and national targets (chỉ tiêu)."""

from __future__ import annotations

from django.db import models

from program.catalogue import COMPARATOR_LABELS


class Project(models.Model):
    """A project of the programme (DA1…DA9) or a sub-project (DA3.1, DA7.2, …)."""

    code = models.CharField("mã", max_length=8, primary_key=True)
    number = models.CharField("số", max_length=8)
    name = models.CharField("tên", max_length=300)
    parent = models.ForeignKey(
        "self", verbose_name="thuộc dự án", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    national_lead = models.CharField("cơ quan chủ trì trung ương", max_length=200)
    provincial_lead = models.CharField("cơ quan chủ trì cấp tỉnh", max_length=200)
    sort_key = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "dự án"
        verbose_name_plural = "dự án, tiểu dự án"
        ordering = ["sort_key"]

    def __str__(self) -> str:
        if self.parent_id:
            major, minor = self.number.split(".")
            return f"Tiểu dự án {minor} thuộc Dự án {major}"
        return f"Dự án {self.number}"


class NationalTarget(models.Model):
    """A national target (T1–T9, with parts a/b/c for compound targets) of NQ 163/2024/QH15."""

    code = models.CharField("mã", max_length=4)
    part = models.CharField("phần", max_length=2, blank=True)
    text = models.TextField("nội dung")
    comparator = models.CharField("so sánh", max_length=10)
    value = models.DecimalField("giá trị", max_digits=8, decimal_places=2, null=True, blank=True)
    unit = models.CharField("đơn vị", max_length=20)
    year = models.PositiveSmallIntegerField("năm đạt", null=True, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu quốc gia"
        verbose_name_plural = "chỉ tiêu quốc gia"
        ordering = ["code", "part"]
        constraints = [models.UniqueConstraint(fields=["code", "part"], name="national_target_code_part_unique")]

    def __str__(self) -> str:
        return f"{self.code}{self.part}"

    @property
    def comparator_label(self) -> str:
        return COMPARATOR_LABELS.get(self.comparator, self.comparator)
