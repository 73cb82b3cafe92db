"""Bad and odd input: only ExtractError ever escapes, with a Vietnamese message; big input is fast."""

from __future__ import annotations

import contextlib
import io
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.extractor import ExtractError, extract_file, extract_text
from plans.extractor.readers import read_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_pdf(content: bytes, *, image: bool) -> bytes:
    """A minimal hand-written PDF: one page with the given content stream (and an image)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> /XObject << /Im0 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if not image:
        objects[2] = objects[2].replace(b" /XObject << /Im0 5 0 R >>", b"")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- unreadable files -------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "rong.txt"
    path.write_bytes(b"")
    with pytest.raises(ExtractError, match="rỗng"):
        extract_file(path)


def test_whitespace_only_text():
    with pytest.raises(ExtractError, match="rỗng"):
        extract_text(" \n\t \n")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "ke_hoach.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ExtractError, match=r"không được hỗ trợ: \.xlsx"):
        extract_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(ExtractError, match="Không tìm thấy tệp"):
        extract_file(tmp_path / "khong_co.docx")


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"{\\rtf1 day la tep RTF doi ten}")
    with pytest.raises(ExtractError, match="không phải tệp Word .docx hợp lệ"):
        extract_file(path)


def test_zip_that_is_not_a_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "xin chào")
    path = tmp_path / "zip.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ExtractError, match="không đọc được như tệp Word"):
        extract_file(path)


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(b"q 595 0 0 842 0 0 cm /Im0 Do Q", image=True))
    with pytest.raises(ExtractError, match=r"Tệp PDF không có lớp văn bản \(có thể là bản scan\)"):
        extract_file(path)


def test_pdf_with_a_text_layer_is_read(tmp_path):
    lines = [b"KE HOACH", b"I. MUC DICH", b"1. Cong an tinh chu tri tuyen truyen phong chong ma tuy."]
    ops = b"BT /F1 11 Tf 50 800 Td 14 TL " + b" ".join(b"(%s) Tj T*" % ln for ln in lines) + b" ET"
    path = tmp_path / "text.pdf"
    path.write_bytes(make_pdf(ops, image=False))
    out = extract_file(path)
    assert out["meta"]["title"] is None or "MUC" not in out["meta"]["title"]
    assert out["schema"] == "plan-extract/1"


def test_broken_pdf(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(ExtractError):
        extract_file(path)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "nhi_phan.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ExtractError, match="Không giải mã được"):
        extract_file(path)


def test_legacy_windows_1258_text_is_decoded(tmp_path):
    path = tmp_path / "cu.txt"
    path.write_bytes(_to_cp1258("KẾ HOẠCH\nPhòng chống ma túy\nI. MỤC ĐÍCH\n"))
    assert extract_file(path)["meta"]["title"] == "Phòng chống ma túy"


def _to_cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese software wrote it: tone marks as combining characters."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
        others = [m for m in marks if m not in tones]
        out += unicodedata.normalize("NFC", base + "".join(others)).encode("cp1258")
        out += "".join(tones).encode("cp1258")
    return out


def test_utf16_text_is_decoded(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("KẾ HOẠCH\nPhòng chống ma túy\nI. MỤC ĐÍCH\n".encode("utf-16"))
    assert extract_file(path)["meta"]["title"] == "Phòng chống ma túy"


# --- properties -------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "I. ",
        "II. ",
        "1. ",
        "2) ",
        "a) ",
        "đ) ",
        "- ",
        "+ ",
        "(1) ",
        "**",
        "## ",
        "\n",
        "\n\n",
        ": ",
        "; ",
        ", ",
        ". ",
        "Sở Y tế",
        "Công an tỉnh",
        "Đề nghị ",
        "Giao ",
        "chủ trì",
        "phối hợp",
        " và ",
        "Căn cứ Kế hoạch này, ",
        "(giao Sở Tư pháp chủ trì)",
        "Cơ quan chủ trì: ",
        "Dự án 7",
        "Tiểu dự án 2 thuộc ",
        "trước ngày 31/2/2025",
        "Quý V/2025",
        "tháng 13/2025",
        "(Hoàn thành trong Quý II/2025)",
        "ít nhất 50%",
        "100%",
        "01 mô hình",
        "báo cáo quý",
        "6 tháng (trước 15/6)",
        "hằng năm",
        "sơ kết",
        "tổng kết",
        "Số: /KH-",
        "KẾ HOẠCH",
        "Nơi nhận:",
        "ngày  tháng  năm 2025",
        "Chi cục Hải quan khu vực XIV",
        "UBND các xã, phường",
        "(",
        ")",
        "“",
        "”",
        "\t",
        "0",
        "99999",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_raises_anything_else(text):
    try:
        out = extract_text(text)
    except ExtractError:
        return
    assert out["schema"] == "plan-extract/1"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_plan_like_text_never_raises_anything_else(text):
    try:
        out = extract_text(text)
    except ExtractError:
        return
    for block in out["assignments"]:
        assert block["agencies"] and block["tasks"]
        for task in block["tasks"]:
            assert task["role"] in {"lead", "cooperate", "perform"}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from([".txt", ".md", ".docx", ".pdf"]))
def test_random_bytes_never_raise_anything_else(data, ext):
    try:
        text = read_bytes(data, ext)
    except ExtractError:
        return
    with contextlib.suppress(ExtractError):
        extract_text(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=300))
def test_corrupted_docx_never_raises_anything_else(noise):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", noise)
        z.writestr("word/document.xml", noise)
    with pytest.raises(ExtractError):
        read_bytes(buffer.getvalue(), ".docx")


# --- size and speed ---------------------------------------------------------------------------


def test_five_megabyte_plan_is_fast(tmp_path):
    theme = (FIXTURES / "theme_plan.txt").read_text(encoding="utf-8")
    body = theme[: theme.index("Nơi nhận")]  # without the closing part, so every copy is read
    text = "\n".join([body] * (5_000_000 // len(body.encode("utf-8")) + 1))
    path = tmp_path / "lon.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size >= 5_000_000
    start = time.process_time()  # CPU time: a busy test machine does not inflate it
    out = extract_file(path)
    elapsed = time.process_time() - start
    assert len(out["assignments"]) > 1000
    assert elapsed < 10, f"{elapsed:.1f} s CPU for 5 MB"


def test_one_huge_line_is_linear():
    """No catastrophic backtracking on one enormous line: 4× the text costs about 4× the time
    (quadratic work would cost 16×). A ratio, so a busy machine does not fail it; the absolute
    figures live in `make bench` (bench_extractor.py)."""
    sentence = "Sở Y tế phối hợp (giao Công an tỉnh chủ trì) ít nhất 50% trước ngày 1/1/2025; báo cáo quý. "

    def cost(n: int) -> float:
        start = time.process_time()
        extract_text(sentence * n)
        return time.process_time() - start

    small, large = min(cost(1000) for _ in range(2)), cost(4000)
    assert large < 9 * max(small, 0.05), (small, large)


def test_a_docx_that_unpacks_to_gigabytes_is_refused_before_parsing(tmp_path):
    import zipfile

    from plans.extractor import ExtractError, extract_file, readers

    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (readers.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(ExtractError, match="giải nén quá lớn"):
        extract_file(path)
