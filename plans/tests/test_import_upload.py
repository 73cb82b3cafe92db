"""Uploading a plan file: type checked by extension and content, size limited; a refused file
leaves a Vietnamese message and saves nothing."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests import samples
from core.tests.samples import pdf_bytes
from plans.models import PlanImport
from plans.tests.test_import_support import PLAN_TEXT

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


def post(client, name, content, province="66"):
    return client.post(
        reverse("plans:import_upload"), {"province": province, "file": SimpleUploadedFile(name, content)}
    )


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF_PLAN = [
    "KE HOACH",
    "Phong, chong ma tuy nam 2026",
    "I. MUC DICH, YEU CAU",
    "Bao dam hieu qua.",
    "II. TO CHUC THUC HIEN",
    "1. Cong an tinh",
    "- Chu tri tham muu trien khai ke hoach.",
    "2. So Y te",
    "- Phoi hop voi Cong an tinh thuc hien kiem tra.",
]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ke-hoach.txt", PLAN_TEXT.encode()),
        ("ke-hoach.md", ("# " + PLAN_TEXT.replace("1. Công an tỉnh", "### **1. Công an tỉnh**")).encode()),
        ("Kế hoạch 15.docx", docx_bytes(PLAN_TEXT)),
        ("ke-hoach.pdf", pdf_bytes(PDF_PLAN)),
    ],
    ids=["txt", "md", "docx", "pdf"],
)
def test_each_supported_type_becomes_a_draft(login, name, content):
    response = post(login("office_a"), name, content)
    draft = PlanImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:import_review", args=[draft.pk])
    assert draft.province_id == "66" and draft.source_name == name and draft.status == PlanImport.Status.DRAFT
    assert draft.source_sha256 == hashlib.sha256(content).hexdigest() and draft.source_size == len(content)
    with draft.source_file.open("rb") as fh:
        assert fh.read() == content
    assert draft.data["schema"] == "plan-extract/1" and draft.data["source"] == name
    assert any("Công an tỉnh" in [s["printed"] for s in b["slots"]] for b in draft.data["assignments"])
    assert login("office_a").get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ke-hoach.docx", b"This is not a zip archive", "không phải tệp Word .docx hợp lệ"),
        ("ke-hoach.docx", b"PK\x03\x04 broken zip", "không phải tệp Word .docx hợp lệ"),
        ("ke-hoach.txt", b"", "rỗng"),
        ("ke-hoach.txt", b"   \n\n", "rỗng"),
        ("ke-hoach.exe", b"MZ\x90\x00", "chỉ nhận các định dạng DOCX, PDF, TXT, MD"),
        ("ke-hoach", PLAN_TEXT.encode(), "chỉ nhận các định dạng DOCX, PDF, TXT, MD"),
        ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Tệp .doc (Word cũ) chưa được hỗ trợ"),
        ("ke-hoach.pdf", PLAN_TEXT.encode(), "không phải tệp PDF hợp lệ (thiếu phần đầu %PDF)"),
        ("ke-hoach.pdf", pdf_bytes([]), "không có lớp văn bản"),
        ("ke-hoach.pdf", b"%PDF-1.4\n" + b"rac" * 100 + b"\n%%EOF\n", "tệp PDF bị hỏng"),
        ("ke-hoach.docx", samples.docx_bomb(200 * 1024 * 1024), "khi giải nén quá lớn"),
        ("ke-hoach.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "không phải văn bản thuần"),
        ("ke-hoach.txt", b"\x00\x01\x02binary\x00" * 20, "không phải văn bản thuần"),
        ("ke-hoach.txt", "Danh sách đi chợ: rau, thịt, cá.".encode(), "Không nhận ra nội dung kế hoạch"),
    ],
    ids=[
        "docx-not-zip",
        "docx-bad-zip",
        "empty",
        "blank",
        "exe",
        "no-ext",
        "doc",
        "pdf-not-pdf",
        "pdf-scan",
        "pdf-malformed",
        "docx-bomb",
        "txt-is-pdf",
        "txt-binary",
        "not-a-plan",
    ],
)
def test_a_refused_file_shows_a_vietnamese_message_and_saves_nothing(login, name, content, message):
    response = post(login("office_a"), name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_too_large_file_is_refused(login, settings):
    settings.PCMT_MAX_UPLOAD_BYTES = 1024 * 1024
    response = post(login("office_a"), "ke-hoach.txt", PLAN_TEXT.encode() + b" " * (1024 * 1024))
    assert "«ke-hoach.txt» quá lớn" in response.content.decode() and "giới hạn là 1,0 MB" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_the_upload_page_has_the_controls_a_browser_test_needs(login):
    page = login("office_a").get(reverse("plans:import_upload")).content.decode()
    assert 'data-testid="import-file"' in page and 'data-testid="import-submit"' in page
    assert 'type="hidden" name="province" value="66"' in page  # one province: no choice to make


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples không có")
@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else [])
def test_the_sample_plans_upload_and_their_review_page_renders(login, sample):
    content = (SAMPLES / sample).read_bytes()
    client = login("office_a")
    response = post(client, sample, content)
    assert response.status_code == 302
    draft = PlanImport.objects.get()
    assert len(draft.data["assignments"]) >= 5
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["counts"]["created"] > 0


@pytest.mark.parametrize("persona", ["office_b", "agency_a", "leader_a"])
def test_the_upload_service_refuses_a_province_the_user_does_not_manage(request, persona):
    """Called directly (no view), `create_draft` re-checks the province itself and saves nothing."""
    from django.core.exceptions import PermissionDenied

    from audit.models import AuditEvent
    from geo.models import Province
    from plans.services import imports

    with pytest.raises(PermissionDenied):
        imports.create_draft(
            acting_user=request.getfixturevalue(persona),
            province=Province.objects.get(code="66"),
            name="ke-hoach.txt",
            content=PLAN_TEXT.encode(),
        )
    assert not PlanImport.objects.exists() and not AuditEvent.objects.filter(action="plan_import.upload").exists()
