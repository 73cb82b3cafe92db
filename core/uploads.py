"""Checking uploaded files: the one place for plan uploads and task attachments.

A file is accepted only when
- its extension is on the caller's allowlist (`PLAN_EXTENSIONS`, `ATTACHMENT_EXTENSIONS`);
- it is not empty and not larger than `PCMT_MAX_UPLOAD_BYTES`;
- its content is what the extension says: PDF header and a readable structure (cross-reference
  table, catalogue, at least one page, no password); images that decode as the claimed format and
  stay under Pillow's decompression-bomb limit (about 89 megapixels); ZIP-based documents (.docx, .xlsx, .odt, .ods, .zip) with a sane number
  of members, the parts their format requires, no password, and an unpacked size within
  `PCMT_MAX_UNPACKED_BYTES` (every member is read back, so headers that understate it are caught);
  plain text that is not a binary file in disguise.

Every refusal is a `ValidationError` with a Vietnamese message naming the file; the file is
rewound for whoever reads it next.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_MEMBERS = 2000
_READ_CHUNK = 1024 * 1024

_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ODT = "application/vnd.oasis.opendocument.text"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"


class Refused(Exception):
    """Why the content does not match its extension (completed into a message by `check_file`)."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


# ---------------------------------------------------------------------------------------------
# Content checks, one per kind of file. Each reads `f` (rewound) and raises Refused.


def _check_pdf(f: Any, ext: str) -> None:
    head = f.read(1024)
    if not head.lstrip()[:5].startswith(b"%PDF-"):
        raise Refused("không phải tệp PDF hợp lệ (thiếu phần đầu %PDF)")
    f.seek(0)
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(f))
        has_page = next(PDFPage.create_pages(document), None) is not None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Refused("tệp PDF được đặt mật khẩu; hãy gửi bản không đặt mật khẩu") from None
    except Exception:  # noqa: BLE001 - any parser failure means a damaged or forged PDF
        raise Refused("tệp PDF bị hỏng hoặc không đúng cấu trúc (không đọc được mục lục và các trang)") from None
    if not has_page:
        raise Refused("tệp PDF bị hỏng hoặc không có trang nào")


def _check_image(fmt: str) -> Callable[[Any, str], None]:
    def check(f: Any, ext: str) -> None:
        from PIL import Image

        try:
            with warnings.catch_warnings():
                # Pillow warns above its pixel limit and fails at twice it: refuse from the warning on.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(f) as image:
                    if image.format != fmt:
                        raise Refused(f"nội dung là ảnh {image.format or 'khác'}, không khớp phần mở rộng")
                    image.verify()
        except Refused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refused("ảnh quá lớn (số điểm ảnh khai báo vượt giới hạn an toàn)") from None
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for a damaged image
            raise Refused(f"không phải ảnh {fmt} hợp lệ hoặc ảnh bị hỏng") from None

    return check


def _read_all(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Unpack every member into nothing: bounded by the declared sizes, checked by CRC."""
    for info in members:
        with archive.open(info) as member:
            while member.read(_READ_CHUNK):
                pass


def _check_zip(required: Sequence[str] = (), mimetype: bytes = b"", invalid: str = "") -> Callable[[Any, str], None]:
    def check(f: Any, ext: str) -> None:
        if f.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
            raise Refused(invalid or f"không phải tệp nén .{ext} hợp lệ")
        f.seek(0)
        limit = settings.PCMT_MAX_UNPACKED_BYTES
        try:
            with zipfile.ZipFile(f) as archive:
                members = archive.infolist()
                if len(members) > MAX_MEMBERS:
                    raise Refused(f"tệp nén có quá nhiều thành phần ({len(members)}; tối đa {MAX_MEMBERS})")
                unpacked = sum(m.file_size for m in members)
                if unpacked > limit:
                    raise Refused(f"khi giải nén quá lớn ({_mb(unpacked)} MB, giới hạn {_mb(limit)} MB)")
                if any(m.flag_bits & 0x1 for m in members):
                    raise Refused("tệp nén được đặt mật khẩu; hãy gửi bản không đặt mật khẩu")
                names = {m.filename for m in members}
                missing = [name for name in required if name not in names]
                if missing:
                    raise Refused(f"thiếu thành phần bắt buộc {', '.join(missing)} (nội dung không khớp phần mở rộng)")
                if mimetype and ("mimetype" not in names or archive.read("mimetype").strip() != mimetype):
                    raise Refused("thiếu khai báo loại tài liệu OpenDocument (nội dung không khớp phần mở rộng)")
                _read_all(archive, members)
        except Refused:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError):
            raise Refused(invalid or "tệp nén bị hỏng (không giải nén được)") from None
        except Exception:  # noqa: BLE001 - zlib and others: a damaged archive
            raise Refused("tệp nén bị hỏng (không giải nén được)") from None

    return check


def _check_text(f: Any, ext: str) -> None:
    head = f.read(4096)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if head.lstrip().startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or (b"\x00" in head and not utf16):
        raise Refused("không phải văn bản thuần (nội dung là tệp nhị phân, ví dụ Word hoặc PDF bị đổi tên)")


_DOCX_INVALID = (
    "không phải tệp Word .docx hợp lệ (nội dung không phải định dạng nén của .docx); có thể tệp bị hỏng "
    "hoặc là tệp .doc đã bị đổi tên. Hãy mở bằng Word và lưu lại dạng .docx"
)


@dataclass(frozen=True)
class FileType:
    content_type: str
    check: Callable[[Any, str], None]
    text: bool = False  # blank content counts as empty


TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", _check_pdf),
    "docx": FileType(_WORD, _check_zip(("[Content_Types].xml", "word/document.xml"), invalid=_DOCX_INVALID)),
    "xlsx": FileType(
        _EXCEL, _check_zip(("[Content_Types].xml", "xl/workbook.xml"), invalid="không phải tệp Excel .xlsx hợp lệ")
    ),
    "odt": FileType(_ODT, _check_zip(mimetype=_ODT.encode(), invalid="không phải tệp OpenDocument .odt hợp lệ")),
    "ods": FileType(_ODS, _check_zip(mimetype=_ODS.encode(), invalid="không phải tệp OpenDocument .ods hợp lệ")),
    "zip": FileType("application/zip", _check_zip()),
    "jpg": FileType("image/jpeg", _check_image("JPEG")),
    "jpeg": FileType("image/jpeg", _check_image("JPEG")),
    "png": FileType("image/png", _check_image("PNG")),
    "txt": FileType("text/plain", _check_text, text=True),
    "md": FileType("text/markdown", _check_text, text=True),
}

PLAN_EXTENSIONS = ("docx", "pdf", "txt", "md")
ATTACHMENT_EXTENSIONS = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png", "odt", "ods", "zip")


def types_label(allowed: Sequence[str]) -> str:
    """ "PDF, DOCX, …" for messages and help texts (.jpeg is shown as JPG)."""
    return ", ".join(dict.fromkeys("JPG" if e == "jpeg" else e.upper() for e in allowed))


def accept_attribute(allowed: Sequence[str]) -> str:
    """The `accept` attribute of a file input."""
    return ",".join(f".{e}" for e in allowed)


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_file(f: Any, allowed: Sequence[str]) -> str:
    """Refuse `f` unless it is an allowed, non-empty, small enough file whose content matches its
    extension; return its content type. Raises ValidationError (Vietnamese, naming the file)."""
    name = (getattr(f, "name", "") or "tệp").replace("\\", "/").rsplit("/", 1)[-1]
    ext = extension(name)
    if ext not in allowed or ext not in TYPES:
        raise ValidationError(f"Tệp «{name}»: chỉ nhận các định dạng {types_label(allowed)}.", code="file_type")
    kind = TYPES[ext]
    limit = settings.PCMT_MAX_UPLOAD_BYTES
    if f.size > limit:
        raise ValidationError(
            f"Tệp «{name}» quá lớn ({_mb(f.size)} MB); giới hạn là {_mb(limit)} MB mỗi tệp.", code="file_size"
        )
    f.seek(0)
    try:
        head = f.read(4096)
        if not head or (kind.text and not head.strip(b" \t\r\n\x00") and not f.read().strip(b" \t\r\n\x00")):
            raise ValidationError(f"Tệp «{name}» rỗng: không có nội dung.", code="file_empty")
        f.seek(0)
        kind.check(f, ext)
    except Refused as refusal:
        raise ValidationError(f"Tệp «{name}» không đúng định dạng .{ext}: {refusal}.", code="file_content") from None
    finally:
        f.seek(0)
    return kind.content_type
