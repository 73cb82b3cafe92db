"""Reading a DHIS2 instance's metadata export to map its ids to PCMT's (issue 11 §2).

A province whose DHIS2 already has its own data elements and organisation units (not imported
from PCMT's package) exports its metadata (JSON) and the Standing Office reads it here: each object
is matched to PCMT's by code (DHIS2's `code`, as PCMT's package writes them), and breakdowns also by
name (Nam/Male, Nữ/Female, …). The matches are kept per province; dataValueSets with those uids then
import as is, and exports can be written with them.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from access.policy import require_visible
from audit.services import record
from dhis2.metadata import Catalogue
from dhis2.models import ForeignId

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import Province

SECTIONS = {
    "dataElements": "dataElement",
    "organisationUnits": "orgUnit",
    "categoryOptionCombos": "categoryOptionCombo",
    "dataSets": "dataSet",
}
# Breakdown names a DHIS2 instance may use in English or shorthand, to PCMT's codes (every option's
# own Vietnamese name matches too, the options a province adds included).
NAMES = {
    "nam": "M",
    "male": "M",
    "nu": "F",
    "female": "F",
    "duoi 18 tuoi": "U18",
    "<18": "U18",
    "tu 18 tuoi tro len": "A18",
    "18+": "A18",
}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").lower().split())


@dataclass
class MatchReport:
    matched: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unmatched: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.matched.values())


def read_package(*, acting_user: User, province: Province, data: bytes | dict[str, Any]) -> MatchReport:
    """Match the export's objects to PCMT's and keep them for `province` (replacing earlier ones)."""
    from geo.models import Province as ProvinceModel

    require_visible(
        ProvinceModel.objects.for_user(acting_user, "exchange.import"),
        province,
        "Chỉ Cơ quan Thường trực của tỉnh được đối chiếu mã DHIS2 của tỉnh.",
    )
    report = MatchReport()
    try:
        doc = data if isinstance(data, dict) else json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.problems.append(f"Tệp không phải JSON đọc được: {exc}.")
        return report
    if not isinstance(doc, dict) or not any(isinstance(doc.get(k), list) for k in SECTIONS):
        report.problems.append(
            "Tệp không có phần nào của gói siêu dữ liệu DHIS2 (dataElements, organisationUnits, categoryOptionCombos, dataSets)."
        )
        return report
    catalogue = Catalogue(None)
    by_name = {_plain(label): code for code, label in catalogue.labels.items()}
    rows = []
    for section, kind in SECTIONS.items():
        for obj in doc.get(section) or []:
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                continue
            uid, code, name = obj["id"], str(obj.get("code") or ""), str(obj.get("name") or "")
            own = catalogue.resolve(kind, code, "CODE") if code else None
            if own is None and kind == "categoryOptionCombo":
                plain = _plain(name)
                pcmt = NAMES.get(plain) or by_name.get(plain) or ("default" if plain == "default" else None)
                own = catalogue.resolve(kind, pcmt, "CODE") if pcmt else None
            if own is None:
                report.unmatched[kind].append(f"{name or uid} ({code or 'không có mã'})")
                continue
            if own.uid == uid:
                report.matched[kind] += 1  # PCMT's own uid: nothing to keep
                continue
            rows.append(
                ForeignId(
                    province=province, kind=kind, uid=uid[:11], code=own.code, name=name[:230], read_by=acting_user
                )
            )
            report.matched[kind] += 1
    with transaction.atomic():
        ForeignId.objects.filter(province=province).delete()
        ForeignId.objects.bulk_create(rows, batch_size=1000)
        record(
            actor=acting_user,
            action="dhis2.mapping_read",
            obj=province,
            province_code=province.pk,
            changes={"matched": dict(report.matched), "unmatched": {k: len(v) for k, v in report.unmatched.items()}},
        )
    return report


def foreign_ids(provinces: set[str] | None) -> dict[str, dict[str, str]]:
    """{kind: {DHIS2 uid: PCMT code}} of the provinces' mappings (None: every province)."""
    qs = ForeignId.objects.all()
    if provinces is not None:
        qs = qs.filter(province_id__in=sorted(provinces))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for kind, uid, code in qs.values_list("kind", "uid", "code"):
        out[kind][uid] = code
    return out
