"""The one file check used by plan uploads and task attachments: allowlist by extension AND
content, a size limit, bounded unpacking, a Vietnamese message for each refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.tests import samples

ATTACHMENTS = uploads.ATTACHMENT_EXTENSIONS
PLANS = uploads.PLAN_EXTENSIONS


def check(name, data, allowed=ATTACHMENTS):
    return uploads.check_file(SimpleUploadedFile(name, data), allowed)


def refused(name, data, allowed=ATTACHMENTS):
    with pytest.raises(ValidationError) as e:
        check(name, data, allowed)
    return " ".join(e.value.messages)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("bao-cao.pdf", samples.PDF, "application/pdf"),
        ("anh.png", samples.PNG, "image/png"),
        ("anh.jpg", samples.JPEG, "image/jpeg"),
        ("anh.JPEG", samples.JPEG, "image/jpeg"),
        ("bao-cao.docx", samples.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("so-lieu.xlsx", samples.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("bao-cao.odt", samples.ODT, "application/vnd.oasis.opendocument.text"),
        ("ho-so.zip", samples.zip_bytes({"a.txt": b"a"}), "application/zip"),
    ],
)
def test_accepted_attachments_return_their_content_type(name, data, content_type):
    assert check(name, data) == content_type


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ke-hoach.txt", "Kế hoạch phòng, chống ma túy".encode()),
        ("ke-hoach.md", b"# Ke hoach"),
        ("ke-hoach.docx", samples.DOCX),
        ("ke-hoach.pdf", samples.PDF),
    ],
)
def test_accepted_plan_files(name, data):
    assert check(name, data, PLANS)


def test_the_file_is_rewound_for_whoever_reads_it_next():
    f = SimpleUploadedFile("bao-cao.docx", samples.DOCX)
    uploads.check_file(f, ATTACHMENTS)
    assert f.tell() == 0 and f.read() == samples.DOCX


def test_a_docx_that_unpacks_far_beyond_the_limit_is_refused(settings):
    settings.PCMT_MAX_UNPACKED_BYTES = 8 * 1024 * 1024
    bomb = samples.docx_bomb(16 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    message = refused("bao-cao.docx", bomb)
    assert "«bao-cao.docx»" in message and "khi giải nén quá lớn" in message and "giới hạn 8,0 MB" in message


def test_a_docx_that_unpacks_beyond_the_default_limit_is_refused():
    bomb = samples.docx_bomb(200 * 1024 * 1024)
    assert "khi giải nén quá lớn" in refused("bao-cao.docx", bomb)
    assert check("bao-cao.docx", samples.docx_bomb(8 * 1024 * 1024))  # 8 MB unpacked is an ordinary document


def test_a_docx_declaring_gigabytes_is_refused_without_unpacking():
    assert "khi giải nén quá lớn" in refused("bao-cao.docx", samples.lying_docx(real=1024, declared=4 * 1024**3 - 1))


def test_a_docx_whose_headers_understate_its_size_is_refused_as_damaged():
    assert "bị hỏng" in refused("bao-cao.docx", samples.lying_docx())


def test_an_archive_with_too_many_members_is_refused():
    crowded = samples.zip_bytes(
        {
            "[Content_Types].xml": samples.CONTENT_TYPES,
            "word/document.xml": b"<w/>",
            **{f"word/media/{i}.xml": b"" for i in range(uploads.MAX_MEMBERS)},
        }
    )
    assert "quá nhiều thành phần" in refused("bao-cao.docx", crowded)


def test_an_encrypted_archive_member_is_refused():
    data = bytearray(samples.zip_bytes({"a.txt": b"abc"}))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + flags_at] |= 0x01
    assert "mật khẩu" in refused("ho-so.zip", bytes(data))


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n%%EOF\n",
        b"%PDF-1.7\n" + b"rac" * 400 + b"\n%%EOF\n",
        samples.PDF[: len(samples.PDF) // 2],
        samples.PDF.replace(b"/Type /Catalog", b"/Type /Katalog").replace(b"/Root 1 0 R", b""),
    ],
    ids=["header-only", "garbage", "truncated", "no-root"],
)
def test_a_malformed_pdf_is_refused(data):
    message = refused("bao-cao.pdf", data)
    assert "«bao-cao.pdf»" in message and "không đúng định dạng .pdf" in message and "bị hỏng" in message


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "ảnh bị hỏng"),
        ("anh.jpg", b"\xff\xd8\xff" + b"\x00" * 64, "ảnh bị hỏng"),
        ("anh.png", samples.png_claiming(60000, 60000), "ảnh quá lớn"),
        ("anh.jpg", samples.PNG, "không đúng định dạng .jpg"),
    ],
)
def test_a_damaged_or_oversized_image_is_refused(name, data, message):
    assert message in refused(name, data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00", "chỉ nhận các định dạng PDF, DOCX, XLSX, JPG, PNG, ODT, ODS, ZIP"),
        ("khong-duoi", b"abc", "chỉ nhận các định dạng"),
        ("gia-mao.pdf", b"MZ\x90\x00 not a pdf", "không phải tệp PDF hợp lệ (thiếu phần đầu %PDF)"),
        ("gia-mao.docx", samples.zip_bytes({"a.txt": b"a"}), "không đúng định dạng .docx"),
        ("gia-mao.docx", b"PK\x03\x04 broken zip", "không phải tệp Word .docx hợp lệ"),
        ("gia-mao.xlsx", samples.DOCX, "không đúng định dạng .xlsx"),
        ("gia-mao.odt", samples.DOCX, "không đúng định dạng .odt"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_wrong_types_are_refused_by_extension_and_content(name, data, message):
    assert message in refused(name, data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ke-hoach.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "không phải văn bản thuần"),
        ("ke-hoach.txt", b"\x00\x01\x02binary\x00" * 20, "không phải văn bản thuần"),
        ("ke-hoach.txt", b"  \n\n", "rỗng"),
        ("ke-hoach.png", samples.PNG, "chỉ nhận các định dạng DOCX, PDF, TXT, MD"),
    ],
)
def test_plan_files_are_checked_by_the_same_rules(name, data, message):
    assert message in refused(name, data, PLANS)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.PCMT_MAX_UPLOAD_BYTES = 1024 * 1024
    message = refused("lon.pdf", samples.PDF + b"0" * (1024 * 1024))
    assert "«lon.pdf» quá lớn (1,0 MB)" in message and "giới hạn là 1,0 MB mỗi tệp" in message


def test_an_image_over_pillows_pixel_limit_is_refused_not_just_warned_about():
    assert "ảnh quá lớn" in refused("anh.png", samples.png_claiming(10000, 9500))
