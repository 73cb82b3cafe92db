"""The seeded indicators: one per national target (NQ 163/2024/QH15, DOMAIN.md §2.2) that the
starter catalogue's elements (reporting/catalogue.py) can compute, with the national targets
and milestones. Pure data; `load_indicators` (and migration 0002) writes it.

Not seeded: T2 (drug-free communes come from the commune classification, not from reports) and
T4 (equipment of the Border Guard and Coast Guard is not reported to provinces).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

D = Decimal


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    target: str  # national target code + part, e.g. "T3a" ("" if none)
    name: str
    numerator: str
    denominator: str
    factor: Decimal
    unit: str
    description: str
    targets: tuple[tuple[int | None, str, Decimal | None, str], ...]  # (year, comparator, value, note)
    decimals: int = 1


NQ163 = "NQ 163/2024/QH15"
INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "CS_T1",
        "T1",
        "Người nghiện, người sử dụng trái phép chất ma túy đang quản lý",
        "MGMT_ADDICTS + MGMT_USERS",
        "",
        D(1),
        "người",
        "Số người nghiện có hồ sơ quản lý cộng số người sử dụng trái phép đang quản lý, tại ngày chốt số liệu.",
        ((None, "decrease", None, NQ163),),
        0,
    ),
    IndicatorDef(
        "CS_T3A",
        "T3a",
        "Tỷ lệ điểm, tụ điểm ma túy được triệt xóa",
        "PLACES_ELIMINATED",
        "PLACES_DETECTED + PLACES_CARRIED",
        D(100),
        "%",
        "Số điểm, tụ điểm triệt xóa ÷ (số phát hiện mới + số tồn từ kỳ trước) × 100.",
        ((2030, "=", D(100), NQ163),),
    ),
    IndicatorDef(
        "CS_T3B",
        "T3b",
        "Tỷ lệ diện tích trồng cây có chứa chất ma túy được triệt phá",
        "PLANTS_AREA_DESTROYED",
        "PLANTS_AREA_DETECTED",
        D(100),
        "%",
        "Diện tích triệt phá ÷ diện tích phát hiện × 100.",
        ((2030, "=", D(100), NQ163),),
    ),
    IndicatorDef(
        "CS_T5A",
        "T5a",
        "Vụ phạm tội ma túy tại biên giới, đường biển, hàng không, chuyển phát nhanh",
        "CASES_BORDER",
        "",
        D(1),
        "vụ",
        "So với cùng kỳ năm trước.",
        ((None, "increase", D(3), NQ163),),
        0,
    ),
    IndicatorDef(
        "CS_T5B",
        "T5b",
        "Vụ phạm tội ma túy có tổ chức, xuyên quốc gia",
        "CASES_ORGANISED",
        "",
        D(1),
        "vụ",
        "So với cùng kỳ năm trước.",
        ((None, "increase", D(3), NQ163),),
        0,
    ),
    IndicatorDef(
        "CS_T5C",
        "T5c",
        "Vụ phạm tội ma túy lợi dụng không gian mạng",
        "CASES_CYBER",
        "",
        D(1),
        "vụ",
        "So với cùng kỳ năm trước.",
        ((None, "increase", D(5), NQ163),),
        0,
    ),
    IndicatorDef(
        "CS_T6A",
        "T6a",
        "Tỷ lệ trạm y tế cấp xã đủ điều kiện xác định tình trạng nghiện",
        "HS_QUALIFIED",
        "HS_TOTAL",
        D(100),
        "%",
        "Theo báo cáo của Sở Y tế.",
        ((2030, ">", D(80), NQ163),),
    ),
    IndicatorDef(
        "CS_T6B",
        "T6b",
        "Tỷ lệ cơ sở cai nghiện công lập đủ điều kiện xác định tình trạng nghiện",
        "REHAB_FACILITIES_QUALIFIED",
        "REHAB_FACILITIES_PUBLIC",
        D(100),
        "%",
        "",
        ((2030, "=", D(100), NQ163),),
    ),
    IndicatorDef(
        "CS_T7B",
        "T7b",
        "Tỷ lệ xã có điểm tiếp nhận, tư vấn cai nghiện đủ điều kiện",
        "COUNSEL_POINT",
        "#MGMT_ADDICTS>0",
        D(100),
        "%",
        "Số xã có người nghiện trả lời «có» ÷ số xã có người nghiện ma túy có hồ sơ quản lý (tại ngày chốt "
        "số liệu cuối kỳ) × 100.",
        ((2030, ">", D(70), NQ163),),
    ),
    IndicatorDef(
        "CS_T7C",
        "T7c",
        "Tỷ lệ xã tổ chức cai nghiện tự nguyện tại gia đình, cộng đồng",
        "REHAB_COMMUNITY_ORGANISED",
        "@COMMUNES",
        D(100),
        "%",
        "Số xã trả lời «có» (giá trị cuối năm) ÷ tổng số xã, phường, đặc khu phải báo cáo × 100.",
        ((2030, ">=", D(70), NQ163),),
    ),
    IndicatorDef(
        "CS_T8",
        "T8",
        "Tỷ lệ người có yêu cầu được trợ giúp pháp lý",
        "LEGAL_AID_GIVEN",
        "LEGAL_AID_REQUESTED",
        D(100),
        "%",
        "",
        ((2030, "=", D(100), NQ163),),
    ),
    IndicatorDef(
        "CS_T9",
        "T9",
        "Tỷ lệ người được tư vấn, hỗ trợ, can thiệp về y tế, tâm lý",
        "MED_PSY_SUPPORT",
        "MGMT_ADDICTS + MGMT_USERS + POST_REHAB_MGMT + METHADONE_PATIENTS",
        D(100),
        "%",
        "Người được hỗ trợ trong kỳ ÷ (người nghiện + người sử dụng + người sau cai + người điều trị methadone "
        "đang quản lý) × 100; gần đúng vì một người có thể thuộc hai nhóm.",
        ((2030, ">", D(90), NQ163),),
    ),
)


def seed(indicator_model, target_model, national_target_model) -> tuple[int, int]:  # noqa: ANN001 - also historical models
    """Create or update the seeded indicators and their national targets; returns (created, updated).
    Provincial targets are never touched."""
    created = updated = 0
    nationals = {f"{t.code}{t.part}": t for t in national_target_model.objects.all()}
    for order, spec in enumerate(INDICATORS, start=1):
        defaults = {
            "name": spec.name,
            "numerator": spec.numerator,
            "denominator": spec.denominator,
            "factor": spec.factor,
            "unit": spec.unit,
            "description": spec.description,
            "decimals": spec.decimals,
            "order": order,
            "target_code": spec.target,
            "national_target": nationals.get(spec.target),
        }
        indicator, was_created = indicator_model.objects.update_or_create(code=spec.code, defaults=defaults)
        created += was_created
        updated += not was_created
        for year, comparator, value, note in spec.targets:
            target_model.objects.update_or_create(
                indicator=indicator,
                province=None,
                year=year,
                defaults={"comparator": comparator, "value": value, "note": note},
            )
    return created, updated
