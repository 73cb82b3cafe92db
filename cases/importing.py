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

The same service runs from the command line and from the case officer's upload page (as a
background job, `cases/jobs.py`): a user (`acting_user`) may only bring in persons of the communes
they manage; a row of another commune is refused like any other faulty row. Every run, a dry run
included (it tells which CCCD are already registered), is appended to the case access log.
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

from access.policy import reach
from cases import crypto
from cases.models import AccessLog, Person, Sex
from cases.services.access_log import log_read
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
    if acting_user is not None:
        _check_scope(rows, acting_user)
    _check_duplicates(rows)
    refused = [r for r in rows if r.problems]
    by_status = {code: sum(1 for r in rows if r.data.get("status") == code) for code in IMPORTED_STATUSES}
    report = ImportReport(rows=len(rows), created=0, refused=refused, dry_run=dry_run, by_status=by_status)
    provinces = {r.data["commune"].province_id for r in rows if r.data.get("commune") is not None}
    province_code = province or (next(iter(provinces)) if len(provinces) == 1 else "")
    if refused or dry_run or not rows:
        _log(acting_user, filename, province_code, report, persons=())
        return report
    created: list[int] = []
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
                created.append(person.pk)
                report.created = done
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
                    progress(done, len(rows))
            _log(acting_user, filename, province_code, report, persons=created)
    except ValidationError as exc:  # a concurrent registration of the same CCCD, for one
        row.problems.extend(_field_messages(exc))
        report.refused, report.created = [row], 0
        _log(acting_user, filename, province_code, report, persons=())
    return report


def _check_scope(rows: list[Row], user: User) -> None:
    """A user imports only into the communes where they manage the registry."""
    r = reach(user, "registry.manage")
    for row in rows:
        commune = row.data.get("commune")
        if commune is not None and not (r.nation or commune.code in r.communes or commune.province_id in r.provinces):
            row.problems.append(f"xã {commune.code} ({commune.name}) không thuộc phạm vi quản lý hồ sơ của bạn")


def _log(user: User | None, filename: str, province_code: str, report: ImportReport, persons: Any) -> None:
    """One line of the case access log per run: who, how many rows, which persons were created."""
    outcome = (
        "từ chối cả tệp"
        if report.refused
        else ("kiểm tra trước, chưa ghi" if report.dry_run else f"đã nhập {report.created} người")
    )
    where = "trang nhập danh sách" if user is not None else "dòng lệnh import_persons"
    log_read(
        actor=user,
        action=AccessLog.Action.IMPORT,
        persons=persons,
        result_count=report.rows,
        reason=f"Nhập danh sách từ tệp {Path(filename).suffix.lower()} ({where}): {report.rows} dòng, {outcome}.",
        province_code=province_code,
    )


# --- the template offered on the upload page ---------------------------------------------------

_EXPLAINED = (
    ("ho_ten", "Có", "Họ và tên đầy đủ, có dấu.", "Chữ"),
    ("ngay_sinh", "Có", "Ngày sinh.", "dd/mm/yyyy, ví dụ 17/05/1990 (ô ngày của Excel cũng được)"),
    ("gioi_tinh", "Có", "Giới tính.", "Nam hoặc Nữ (có dấu hay không, chữ hoa hay thường đều được)"),
    (
        "cccd",
        "Có, trừ khi ghi lý do",
        "Số định danh cá nhân 12 chữ số: 3 số đầu là mã tỉnh nơi đăng ký khai sinh (63 tỉnh trước 2025), "
        "số thứ tư là mã giới tính và thế kỷ, số thứ năm, sáu là hai số cuối năm sinh. Mỗi người một hồ sơ toàn quốc.",
        "12 chữ số (để ô dạng văn bản để Excel không bỏ số 0 ở đầu)",
    ),
    ("ma_xa", "Có", "Mã xã, phường, đặc khu theo danh mục năm 2025; phải thuộc phạm vi quản lý của bạn.", "5 chữ số"),
    ("dia_chi", "Không", "Địa chỉ nơi cư trú.", "Chữ"),
    ("tinh_trang", "Có", "Tình trạng hiện tại của người có hồ sơ.", ""),
    ("ly_do_khong_cccd", "Khi không có CCCD", "Lý do người này không có số CCCD.", ""),
)


def template_xlsx(example_commune: str = "") -> bytes:
    """The XLSX template: the header row and one example row, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from core.spreadsheet import text_only

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    columns = [*REQUIRED, *OPTIONAL]
    sheet.append(columns)
    example = {
        "ho_ten": "Nguyễn Văn Ví Dụ",
        "ngay_sinh": "17/05/1990",
        "gioi_tinh": "Nam",
        "cccd": "066090000001",
        "ma_xa": example_commune or "24133",
        "dia_chi": "12 Lê Duẩn (dòng ví dụ: xóa trước khi nhập)",
        "tinh_trang": path.STATUSES[path.USING],
        "ly_do_khong_cccd": "",
    }
    sheet.append([example[c] for c in columns])
    for index, name in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22
        if name in ("ngay_sinh", "cccd", "ma_xa"):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Ý nghĩa", "Giá trị được nhận"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    statuses = "; ".join(path.STATUSES[c] for c in IMPORTED_STATUSES) + " (có dấu hay không, chữ hoa hay thường)"
    reasons = "; ".join(f"{code} hoặc «{label}»" for code, label in NO_CCCD_REASONS.items())
    for name, required, meaning, allowed in _EXPLAINED:
        allowed = {"tinh_trang": statuses, "ly_do_khong_cccd": reasons}.get(name, allowed)
        guide.append([f"{name} ({LABELS[name]})", required, meaning, allowed])
    guide.append([])
    guide.append(
        [
            "Lưu ý",
            "",
            "Dòng đầu của trang «Danh sách» là tên cột, giữ nguyên. Dòng 2 là ví dụ: xóa trước khi nhập. "
            "Nhập tất cả hoặc không nhập gì: chỉ một dòng sai là cả tệp chưa được ghi, báo cáo nêu từng dòng. "
            "Chọn «Kiểm tra trước» để kiểm tra mà chưa ghi gì. Tệp CSV (UTF-8) có cùng các cột cũng được nhận.",
            "",
        ]
    )
    for letter, width in (("A", 30), ("B", 18), ("C", 70), ("D", 70)):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    text_only(book).save(out)
    return out.getvalue()
