"""Importing a list through the UI (issue 13 §1): a case officer uploads CSV or XLSX, the same
service as `import_persons` runs as a background job, the report shows on the job page, the file
is never kept in clear, every run is in the case access log."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cases import crypto
from cases.importing import REQUIRED, read_rows
from cases.models import AccessLog, Person
from cases.tests.conftest import cccd_for
from conftest import COMMUNE_A, PROVINCE_A
from jobs.models import Job

pytestmark = pytest.mark.django_db

HEADER = "ho_ten,ngay_sinh,gioi_tinh,cccd,ma_xa,dia_chi,tinh_trang"
B1990 = datetime.date(1990, 5, 17)


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _row(name: str, serial: int, commune: str = COMMUNE_A) -> str:
    return f"{name},17/05/1990,Nam,{cccd_for(B1990, 'M', serial=serial)},{commune},Thôn 1,Nghiện"


def _upload(client, content: bytes, name: str = "ds.csv", dry_run: bool = False):
    data = {"file": SimpleUploadedFile(name, content), "job_key": f"k-{name}-{dry_run}-{len(content)}"}
    if dry_run:
        data["dry_run"] = "on"
    return client.post("/ho-so/nhap/", data)


def _job(response) -> Job:
    assert response.status_code == 302, response.content[:500]
    return Job.objects.get(pk=int(response["Location"].split("/")[2]))


def test_the_page_and_the_template_are_the_case_officers(login, client):
    login("case_a")
    page = client.get("/ho-so/nhap/")
    assert page.status_code == 200 and "Kiểm tra trước" in page.content.decode()
    template = client.get("/ho-so/nhap/mau.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["Danh sách", "Hướng dẫn"]
    sheet = book["Danh sách"]
    header = [c.value for c in sheet[1]]
    assert header[: len(REQUIRED)] == list(REQUIRED)
    assert [c.value for c in sheet[2]][4] == COMMUNE_A  # an example in the officer's own commune
    guide = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    for status in ("Sử dụng trái phép", "Nghiện", "Đang cai nghiện", "Sau cai nghiện"):
        assert status in guide
    # The example row passes the import's checks (it is a well-formed, fictitious person).
    rows = read_rows(template.content, "mau.xlsx")
    assert len(rows) == 1 and rows[0].values["cccd"] == "066090000001"


@pytest.mark.parametrize("persona", ["office_a", "commune_a", "leader_a", "national", "admin"])
def test_other_roles_may_not_import(login, client, persona):
    login(persona)
    assert client.get("/ho-so/nhap/").status_code == 403
    assert client.get("/ho-so/nhap/mau.xlsx").status_code == 403
    assert _upload(client, _csv(_row("Người Lạ", 810001))).status_code == 403
    assert not Job.objects.filter(kind="cases.import_persons").exists()


def test_a_dry_run_then_the_import(login, client):
    login("case_a")
    content = _csv(_row("Nguyễn Văn Tải", 810011), _row("Trần Văn Lên", 810012))
    before = Person.objects.count()
    job = _job(_upload(client, content, dry_run=True))
    assert job.status == Job.Status.DONE, job.message
    assert "Kiểm tra xong: 2 dòng hợp lệ, chưa ghi gì" in job.message
    assert Person.objects.count() == before
    page = client.get(f"/cong-viec/{job.pk}/").content.decode()
    assert "Kiểm tra xong: 2 dòng hợp lệ" in page
    job = _job(_upload(client, content))
    assert job.status == Job.Status.DONE and job.progress == 100, job.message
    assert "Đã nhập 2 người vào sổ quản lý." in job.message
    assert Person.objects.count() == before + 2
    assert Person.objects.filter(cccd_hash=crypto.cccd_hash(cccd_for(B1990, "M", serial=810011))).exists()
    logs = list(AccessLog.objects.filter(action=AccessLog.Action.IMPORT).order_by("pk"))
    assert len(logs) == 2 and {log.actor_username for log in logs} == {"hoso"}
    assert "kiểm tra trước" in logs[0].reason and logs[0].person_ids == []
    assert logs[1].result_count == 2 and len(logs[1].person_ids) == 2 and logs[1].province_code == PROVINCE_A
    assert "Tải" not in logs[1].reason  # no name in the log


def test_all_or_nothing_with_the_row_report_on_the_job_page(login, client, ward_other):
    login("case_a")
    before = Person.objects.count()
    content = _csv(
        _row("Nguyễn Văn Đúng", 810021),
        _row("Nguyễn Văn Khác Xã", 810022, commune=ward_other.code),
        "Lê Văn Sai,31/02/1990,Nam,,24133,,Nghiện",
    )
    job = _job(_upload(client, content))
    assert job.status == Job.Status.FAILED
    page = client.get(f"/cong-viec/{job.pk}/").content.decode()
    assert f"Dòng 3: xã {ward_other.code}" in page and "không thuộc phạm vi quản lý hồ sơ của bạn" in page
    assert "Dòng 4: ngày sinh" in page
    assert "Không nhập người nào: 2 trong 3 dòng bị từ chối" in page
    assert Person.objects.count() == before
    assert "Nguyễn Văn" not in job.message  # the report names rows, never persons


def test_the_uploaded_file_is_sealed_and_deleted_after_the_job(login, client, settings, tmp_path):
    from django.core.files.storage import default_storage

    login("case_a")
    content = _csv(_row("Phạm Văn Kín", 810031))
    seen: list[bytes] = []
    original = default_storage._save

    def spy(name, content_file):
        content_file.seek(0)
        seen.append(content_file.read())
        content_file.seek(0)
        return original(name, content_file)

    default_storage._save = spy
    try:
        job = _job(_upload(client, content))
    finally:
        default_storage._save = original
    assert job.status == Job.Status.DONE, job.message
    assert seen and all(b"Ph\xe1\xba\xa1m" not in s and b"810031" not in s for s in seen)
    assert crypto.open_bytes(seen[0], "cases.import_upload") == content
    assert not job.result  # the sealed upload is gone


def test_an_xlsx_from_the_template(login, client):
    from openpyxl import Workbook

    login("case_a")
    book = Workbook()
    book.active.append(HEADER.split(","))
    book.active.append(
        ["Hồ Văn Mẫu", "17/05/1990", "Nam", cccd_for(B1990, "M", serial=810041), COMMUNE_A, "", "nghien"]
    )
    out = io.BytesIO()
    book.save(out)
    job = _job(_upload(client, out.getvalue(), name="ds.xlsx"))
    assert job.status == Job.Status.DONE and "Đã nhập 1 người" in job.message, job.message


def test_a_file_that_is_not_a_list(login, client):
    login("case_a")
    response = _upload(client, b"%PDF-1.4", name="ds.pdf")
    assert response.status_code == 200 and "Chỉ nhận tệp .csv hoặc .xlsx" in response.content.decode()
    job = _job(_upload(client, b"a,b\n1,2\n"))
    assert job.status == Job.Status.FAILED and "Thiếu cột" in job.message


def test_the_command_line_import_is_logged_too(tmp_path):
    from django.core.management import call_command

    f = tmp_path / "ds.csv"
    f.write_bytes(_csv(_row("Đặng Văn Lệnh", 810051)))
    call_command("import_persons", str(f), verbosity=0)
    log = AccessLog.objects.filter(action=AccessLog.Action.IMPORT).latest("pk")
    assert "dòng lệnh" in log.reason and len(log.person_ids) == 1
