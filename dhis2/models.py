"""A DHIS2 instance's own ids, matched to PCMT's objects from its metadata export."""

from __future__ import annotations

from django.conf import settings
from django.db import models

KINDS = {
    "dataElement": "Chỉ tiêu (data element)",
    "orgUnit": "Đơn vị (organisation unit)",
    "categoryOptionCombo": "Phân tổ (category option combo)",
    "attributeOptionCombo": "Thuộc tính (attribute option combo)",
    "dataSet": "Bộ dữ liệu (data set)",
}


class ForeignId(models.Model):
    """One object of the province's DHIS2 instance (empty province: the national one) and the PCMT
    code it stands for. Replaced as a whole each time the office reads a new metadata export."""

    province = models.ForeignKey("geo.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("loại", max_length=24, choices=list(KINDS.items()))
    uid = models.CharField("mã DHIS2", max_length=11)
    code = models.CharField("mã PCMT", max_length=60)
    name = models.CharField("tên trong DHIS2", max_length=230, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mã DHIS2 đã đối chiếu"
        verbose_name_plural = "mã DHIS2 đã đối chiếu"
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "uid"], name="foreign_id_once"),
            models.UniqueConstraint(
                fields=["kind", "uid"], condition=models.Q(province__isnull=True), name="national_foreign_id_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uid} → {self.code}"
