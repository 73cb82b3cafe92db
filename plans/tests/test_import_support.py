"""Builders shared by the import tests (no tests here): a small plan, drafts made through the services."""

from __future__ import annotations

import copy
from typing import Any

from accounts.models import User
from agencies.models import Agency
from geo.models import Province
from plans.services import drafts, imports

PLAN_TEXT = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
Số: 15/KH-UBND
Đắk Lắk, ngày 10 tháng 3 năm 2026

KẾ HOẠCH
Thực hiện công tác phòng, chống ma túy năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Phấn đấu đến năm 2030 đạt ít nhất 50% số xã, phường không có ma túy.

II. TỔ CHỨC THỰC HIỆN
1. Công an tỉnh
- Chủ trì, phối hợp với Sở Y tế tham mưu triển khai Dự án 1 (hoàn thành trong Quý III/2026).
- Tổng hợp, báo cáo kết quả thực hiện hằng quý.
2. Sở Y tế
- Chủ trì triển khai Dự án 6 sau khi Bộ Y tế có hướng dẫn thực hiện.
- Phối hợp với Công an tỉnh kiểm tra các cơ sở điều trị nghiện.
3. Sở Tư pháp, Sở Nội vụ
- Tuyên truyền, phổ biến pháp luật về phòng, chống ma túy.
4. Hội Người cao tuổi tỉnh
- Vận động hội viên tham gia phòng, chống ma túy.

III. CHẾ ĐỘ BÁO CÁO
Các sở, ban, ngành báo cáo kết quả thực hiện về Công an tỉnh trước ngày 15/12/2026.
"""

# A fixed review draft (independent of the extractor's later improvements).
EXTRACTION: dict[str, Any] = {
    "schema": "plan-extract/1",
    "source": "ke-hoach.txt",
    "meta": {
        "number": "15/KH-UBND",
        "date": "2026-03-10",
        "place": "Đắk Lắk",
        "title": "Thực hiện công tác phòng, chống ma túy năm 2026",
        "period": {"start": 2026, "end": 2026},
    },
    "basis": [{"kind": "Nghị quyết", "number": "163/2024/QH15", "date": None}],
    "targets": [
        {
            "text": "ít nhất 50% số xã, phường không có ma túy",
            "comparator": ">=",
            "value": 50,
            "unit": "%",
            "year": 2030,
        }
    ],
    "assignments": [
        {
            "agencies": ["Công an tỉnh"],
            "requested": False,
            "section": "II.1",
            "tasks": [
                {
                    "text": "Chủ trì, phối hợp với Sở Y tế tham mưu triển khai Dự án 1 (hoàn thành trong Quý III/2026).",
                    "role": "lead",
                    "projects": ["DA1"],
                    "deadline": "2026-09-30",
                    "condition": None,
                },
            ],
        },
        {
            "agencies": ["Sở Y tế"],
            "requested": False,
            "section": "II.2",
            "tasks": [
                {
                    "text": "Chủ trì triển khai Dự án 6 sau khi Bộ Y tế có hướng dẫn thực hiện.",
                    "role": "lead",
                    "projects": ["DA6"],
                    "deadline": None,
                    "condition": "sau khi Bộ Y tế có hướng dẫn thực hiện",
                },
                {
                    "text": "Phối hợp với Công an tỉnh kiểm tra các cơ sở điều trị nghiện hằng quý.",
                    "role": "cooperate",
                    "projects": [],
                    "deadline": None,
                    "condition": None,
                },
            ],
        },
        {
            "agencies": ["Sở Tư pháp", "Sở Nội vụ"],
            "requested": False,
            "section": "II.3",
            "tasks": [
                {
                    "text": "Tuyên truyền, phổ biến pháp luật về phòng, chống ma túy.",
                    "role": "perform",
                    "projects": [],
                    "deadline": "2026-06-30",
                    "condition": None,
                },
            ],
        },
        {
            "agencies": ["Hội Người cao tuổi tỉnh"],
            "requested": False,
            "section": "II.4",
            "tasks": [
                {
                    "text": "Vận động hội viên tham gia phòng, chống ma túy.",
                    "role": "perform",
                    "projects": [],
                    "deadline": None,
                    "condition": None,
                },
            ],
        },
    ],
    "reporting": [
        {"frequency": "once", "due": "2026-12-15", "to": "Công an tỉnh"},
        {"frequency": "quarterly", "due": "15 of last month of quarter", "to": "Công an tỉnh"},
    ],
}


def agency(code: str, province: str = "66") -> Agency:
    return Agency.objects.get(province_id=province, code=code)


def make_draft(
    *,
    user: str = "thuongtruc",
    province: str = "66",
    name: str = "ke-hoach.txt",
    content: bytes | None = None,
    extraction: dict[str, Any] | None = EXTRACTION,
):
    """A draft made through the upload service; its data replaced by ``extraction`` when given."""
    actor = User.objects.get(username=user)
    draft = imports.create_draft(
        acting_user=actor,
        province=Province.objects.get(code=province),
        name=name,
        content=content if content is not None else PLAN_TEXT.encode(),
    )
    if extraction is not None:
        catalogue = drafts.Catalogue.for_province(province)
        prepared = drafts.prepare_draft(copy.deepcopy(extraction), catalogue)

        def replace(data: dict[str, Any]) -> None:
            data.clear()
            data.update(prepared)

        draft = imports.edit_draft(
            acting_user=actor, draft=draft, version=draft.version, operation=replace, action="test"
        )
    return draft


def edit(draft, operation, user: str = "thuongtruc"):
    return imports.edit_draft(
        acting_user=User.objects.get(username=user),
        draft=draft,
        version=draft.version,
        operation=operation,
        action="test",
    )


def ready(draft):
    """The draft with its unknown agency's block skipped, so it can be confirmed."""
    catalogue = drafts.Catalogue.for_province(draft.province_id)
    return edit(draft, lambda d: drafts.set_block(d, 3, {"skip": "1"}, catalogue))
