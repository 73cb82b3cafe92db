"""The review page of a 10,000-task plan (500 blocks × 20 tasks, no deadlines): size and server
time of the page (blocks collapsed and paged), of opening one block, and of setting a deadline
for the whole plan at once. Before blocks were loaded on demand this page weighed 16.5 MB."""

from __future__ import annotations

import copy

from common import median, ms, p, setup_django, timed

BLOCKS, PER_BLOCK, REQUESTS = 500, 20, 10


def main() -> None:
    label = setup_django()
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from demo.personas import seed_demo
    from geo.models import Province
    from plans.models import PlanImport
    from plans.services import drafts, imports

    call_command("load_programme", verbosity=0)
    seed_demo()
    office = User.objects.get(username="thuongtruc")
    names = ["Sở Y tế", "Công an tỉnh", "UBND cấp xã", "Sở Giáo dục và Đào tạo", "Sở Lao động - Thương binh và Xã hội"]
    extraction = {
        "schema": "plan-extract/1",
        "meta": {
            "number": "999/KH-UBND",
            "date": "2026-01-15",
            "place": "Đắk Lắk",
            "title": "Kế hoạch lớn",
            "period": {"start": 2026, "end": 2026},
        },
        "basis": [],
        "targets": [],
        "reporting": [],
        "assignments": [
            {
                "agencies": [names[b % len(names)]],
                "requested": False,
                "section": f"II.{b + 1}",
                "tasks": [
                    {
                        "text": f"Phối hợp với Công an tỉnh tổ chức tuyên truyền phòng, chống ma túy đợt {b}.{t}",
                        "role": "perform",
                        "projects": [],
                        "deadline": None,
                        "condition": None,
                    }
                    for t in range(PER_BLOCK)
                ],
            }
            for b in range(BLOCKS)
        ],
    }
    province = Province.objects.get(code="66")
    draft = imports.create_draft(
        acting_user=office, province=province, name="lon.txt", content="KẾ HOẠCH\nKế hoạch lớn\n".encode()
    )
    prepared = drafts.prepare_draft(copy.deepcopy(extraction), drafts.Catalogue.for_province("66"))
    PlanImport.objects.filter(pk=draft.pk).update(data=prepared)

    client = Client()
    client.force_login(office)
    url = f"/ke-hoach/nhap/{draft.pk}/"
    size = len(client.get(url).content)
    times = timed(lambda: client.get(url), REQUESTS)
    block = f"/ke-hoach/nhap/{draft.pk}/khoi/250/noi-dung/"
    block_size = len(client.get(block).content)
    block_times = timed(lambda: client.get(block), REQUESTS)
    draft.refresh_from_db()
    bulk = timed(
        lambda: client.post(
            f"/ke-hoach/nhap/{draft.pk}/ap-dung-chung/",
            {
                "version": PlanImport.objects.get(pk=draft.pk).version,
                "scope": "plan",
                "deadline": "31/12/2026",
                "overwrite": "1",
            },
        ),
        3,
    )
    tasks = [t for b in PlanImport.objects.get(pk=draft.pk).data["assignments"] for t in b["tasks"]]
    n = len(tasks)
    assert all(t["deadline"] == "2026-12-31" for t in tasks), "the deadline was not set for the whole plan"
    print(f"== Rà soát kế hoạch {n:,} nhiệm vụ ({BLOCKS} khối) — {label}")
    print(f"trang rà soát: {size / 1024:.0f} KB; median {ms(median(times))}, p95 {ms(p(times, 0.95))}")
    print(f"mở một khối ({PER_BLOCK} nhiệm vụ): {block_size / 1024:.0f} KB; median {ms(median(block_times))}")
    print(f"đặt thời hạn cho cả kế hoạch: median {ms(median(bulk))}")


if __name__ == "__main__":
    main()
