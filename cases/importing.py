"""Bringing an existing list of persons into the registry (issue 13 §1: `import_persons`).

The file (CSV in UTF-8 with or without BOM, or XLSX, first sheet) has a header row with the
columns `ho_ten, ngay_sinh (dd/mm/yyyy), gioi_tinh (Nam/Nữ), cccd, ma_xa (5-digit 2025 commune
code), dia_chi, tinh_trang`, and optionally `ly_do_khong_cccd` (a reason of
`legal.identity.NO_CCCD_REASONS`, by code or label) for a person without an identity number.
`tinh_trang` is one of "Sử dụng trái phép", "Nghiện", "Đang cai nghiện", "Sau cai nghiện", with
or without diacritics, in any case.

All or nothing: every row is checked first and the report names each refused row with its
reasons in Vietnamese; when one row is refused nothing is written. Each person is created by
`cases.services.persons.create_person` (sealed fields, keyed hashes, one record per CCCD) and
enters the path with the entry decision of its status (`legal.path.ENTRY_TYPES`) dated the day of
the import, so the registry's figures count it from that day.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import crypto
from cases.models import Person, Sex
from cases.services.decisions import add_decision
from cases.services.persons import create_person, validate_identity
from core import vn
from geo.models import Commune, Province
from legal import path
from legal.identity import NO_CCCD_REASONS

if TYPE_CHECKING:
    from accounts.models import User

REQUIRED = ("ho_ten", "ngay_sinh", "gioi_tinh", "cccd", "ma_xa", "dia_chi", "tinh_trang")
OPTIONAL = ("ly_do_khong_cccd",)
LABELS = {
    "ho_ten": "Họ tên",
    "ngay_sinh": "Ngày sinh",
    "gioi_tinh": "Giới tính",
    "cccd": "CCCD",
    "ma_xa": "Mã xã",
    "dia_chi": "Địa chỉ",
    "tinh_trang": "Tình trạng",
    "ly_do_khong_cccd": "Lý do không có CCCD",
}
IMPORTED_STATUSES = (path.USING, path.ADDICTED, path.IN_REHAB, path.AFTER_REHAB)
_STATUS_BY_FOLDED = {crypto.fold(path.STATUSES[code]): code for code in IMPORTED_STATUSES}
_SEX_BY_FOLDED = {"nam": Sex.MALE, "nu": Sex.FEMALE}
_REASON_BY_FOLDED = {
    **{crypto.fold(label): code for code, label in NO_CCCD_REASONS.items()},
    **{crypto.fold(code): code for code in NO_CCCD_REASONS},
}
PROGRESS_EVERY = 500


class ImportFileError(ValueError):
    """A file that cannot be read as a list (format, encoding, columns)."""


@dataclass
class Row:
    line: int
    values: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    rows: int
    created: int
    refused: list[Row]
    dry_run: bool
    by_status: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.refused

    def lines(self) -> list[str]:
        """The Vietnamese report: one line per refused row, then the outcome."""
        out = [f"Dòng {row.line}: {'; '.join(row.problems)}" for row in self.refused]
        if self.refused:
            out.append(
                f"Không nhập người nào: {len(self.refused)} trong {self.rows} dòng bị từ chối "
                "(nhập tất cả hoặc không nhập gì). Sửa các dòng trên rồi nhập lại."
            )
        elif self.dry_run:
            out.append(f"Kiểm tra xong: {self.rows} dòng hợp lệ, chưa ghi gì (chạy thử).")
        else:
            out.append(f"Đã nhập {self.created} người vào sổ quản lý.")
        if not self.refused and self.rows:
            out.append(
                "Theo tình trạng: "
                + ", ".join(f"{path.STATUSES[code]} {self.by_status[code]}" for code in IMPORTED_STATUSES)
                + "."
            )
        return out


# --- reading -----------------------------------------------------------------------------------


def _header_key(cell: Any) -> str:
    return crypto.fold(str(cell or "")).replace(" ", "_")


def _text(value: Any, width: int = 0) -> str:
    """A cell as text; a number (Excel drops leading zeros) padded back to `width` digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).zfill(width)
    if isinstance(value, datetime.datetime):
        return vn.format_date(value.date())
    if isinstance(value, datetime.date):
        return vn.format_date(value)
    return str(value).strip()


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Tệp CSV phải mã hóa UTF-8 (có hoặc không có BOM).") from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ImportFileError("Không đọc được tệp XLSX.") from exc
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def read_rows(content: bytes, filename: str) -> list[Row]:
    """The data rows of the file, by column name; ImportFileError for a file that is not a list."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        raw = _csv_rows(content)
    elif suffix == ".xlsx":
        raw = _xlsx_rows(content)
    else:
        raise ImportFileError("Chỉ nhận tệp .csv hoặc .xlsx.")
    header: list[str] | None = None
    rows: list[Row] = []
    for line, cells in enumerate(raw, start=1):
        if header is None:
            header = [_header_key(c) for c in cells]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise ImportFileError(
                    "Thiếu cột: " + ", ".join(missing) + ". Dòng đầu phải có các cột " + ", ".join(REQUIRED) + "."
                )
            continue
        if not any(_text(c) for c in cells):
            continue
        values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name}
        rows.append(Row(line=line, values=values))
    if header is None:
        raise ImportFileError("Tệp trống.")
    return rows


# --- checking ----------------------------------------------------------------------------------


def _check(row: Row, communes: dict[str, Commune], province: str | None, today: datetime.date) -> None:
    v, problems = row.values, row.problems
    name = " ".join(_text(v.get("ho_ten")).split())
    if not name:
        problems.append("thiếu họ tên")
    birth = None
    try:
        birth = vn.parse_date(_text(v.get("ngay_sinh")))
        if birth is None:
            problems.append("thiếu ngày sinh")
        elif birth > today:
            problems.append("ngày sinh ở tương lai")
            birth = None
    except vn.DateError as exc:
        problems.append(f"ngày sinh: {exc}")
    sex = _SEX_BY_FOLDED.get(crypto.fold(_text(v.get("gioi_tinh"))))
    if sex is None:
        problems.append(f"giới tính «{_text(v.get('gioi_tinh'))}» phải là Nam hoặc Nữ")
    code = _text(v.get("ma_xa"), 5)
    commune = communes.get(code)
    if commune is None:
        problems.append(f"mã xã «{code}» không có trong danh mục 3.321 xã, phường, đặc khu năm 2025")
    elif province and commune.province_id != province:
        problems.append(f"xã {code} ({commune.name}) không thuộc tỉnh {province}")
    status = _STATUS_BY_FOLDED.get(crypto.fold(_text(v.get("tinh_trang"))))
    if status is None:
        allowed = ", ".join(f"«{path.STATUSES[c]}»" for c in IMPORTED_STATUSES)
        problems.append(f"tình trạng «{_text(v.get('tinh_trang'))}» phải là một trong {allowed}")
    cccd_text = _text(v.get("cccd"), 12)
    reason_text = _text(v.get("ly_do_khong_cccd"))
    reason = _REASON_BY_FOLDED.get(crypto.fold(reason_text), "") if reason_text else ""
    if reason_text and not reason and not cccd_text:
        problems.append(f"lý do không có CCCD «{reason_text}» không có trong danh mục")
    cccd = ""
    if birth is not None and sex is not None and name:
        try:
            cccd = validate_identity(full_name=name, birth_date=birth, sex=sex, cccd=cccd_text, no_cccd_reason=reason)
        except ValidationError as exc:
            problems.extend(_field_messages(exc))
    row.data = {
        "full_name": name,
        "birth_date": birth,
        "sex": sex,
        "cccd": cccd,
        "no_cccd_reason": "" if cccd else reason,
        "commune": commune,
        "address": _text(v.get("dia_chi")),
        "status": status,
    }


def _field_messages(exc: ValidationError) -> list[str]:
    names = {
        "cccd": "CCCD",
        "no_cccd_reason": "CCCD",
        "full_name": "họ tên",
        "birth_date": "ngày sinh",
        "decision_type": "ghi nhận tình trạng",
        "decided_on": "ngày ghi nhận",
    }
    return [
        f"{names.get(key, key)}: {message}"
        for key, messages in getattr(exc, "message_dict", {"": exc.messages}).items()
        for message in messages
    ]


def _check_duplicates(rows: list[Row]) -> None:
    """One person per CCCD: twice in the file, or already in the registry (by keyed hash)."""
    by_hash: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.data.get("cccd"):
            by_hash[crypto.cccd_hash(row.data["cccd"])].append(row)
    for same in by_hash.values():
        if len(same) > 1:
            for row in same:
                others = ", ".join(str(r.line) for r in same if r is not row)
                row.problems.append(f"CCCD trùng với dòng {others} trong tệp")
    hashes = list(by_hash)
    known: set[str] = set()
    for start in range(0, len(hashes), 1000):
        chunk = hashes[start : start + 1000]
        found = Person.objects.filter(cccd_hash__in=chunk).values_list("cccd_hash", flat=True)
        known.update(digest for digest in found if digest)
    for digest in known:
        for row in by_hash[digest]:
            row.problems.append("CCCD đã có trong sổ quản lý (mỗi người chỉ có một hồ sơ trên toàn quốc)")


# --- importing ---------------------------------------------------------------------------------


def import_persons(
    content: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    province: str | None = None,
    acting_user: User | None = None,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row, then (unless `dry_run` or a row is refused) create every person at once.

    `province`: a 2025 province code the communes must belong to. `acting_user`: None for a run
    from the server's command line (`create_person` then skips the scope check); a user must
    manage every commune of the file.
    """
    today = today or timezone.localdate()
    if province is not None and not Province.objects.filter(code=province).exists():
        raise ImportFileError(f"Mã tỉnh «{province}» không có trong danh mục 34 tỉnh, thành phố.")
    rows = read_rows(content, filename)
    codes = {_text(r.values.get("ma_xa"), 5) for r in rows}
    communes = {c.code: c for c in Commune.objects.filter(code__in=codes)}
    for row in rows:
        _check(row, communes, province, today)
    _check_duplicates(rows)
    refused = [r for r in rows if r.problems]
    by_status = {code: sum(1 for r in rows if r.data.get("status") == code) for code in IMPORTED_STATUSES}
    report = ImportReport(rows=len(rows), created=0, refused=refused, dry_run=dry_run, by_status=by_status)
    if refused or dry_run or not rows:
        return report
    try:
        with transaction.atomic():
            for done, row in enumerate(rows, start=1):
                data = row.data
                person = create_person(
                    acting_user,
                    full_name=data["full_name"],
                    birth_date=data["birth_date"],
                    sex=data["sex"],
                    cccd=data["cccd"],
                    no_cccd_reason=data["no_cccd_reason"],
                    commune=data["commune"],
                    address=data["address"],
                )
                add_decision(
                    acting_user=acting_user,
                    person=person,
                    decision_type=path.ENTRY_TYPES[data["status"]],
                    decided_on=today,
                    note=f"Nhập từ tệp {Path(filename).name}, dòng {row.line}.",
                )
                report.created = done
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
                    progress(done, len(rows))
    except ValidationError as exc:  # a concurrent registration of the same CCCD, for one
        row.problems.extend(_field_messages(exc))
        report.refused, report.created = [row], 0
    return report
