"""`import_persons`: CSV and XLSX, all or nothing with a row-level Vietnamese report."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from cases import crypto
from cases.importing import ImportFileError, import_persons
from cases.models import Decision, Person
from cases.services.figures import commune_figures
from cases.tests.conftest import cccd_for
from cases.tests.test_privacy import _all_rows_text
from conftest import COMMUNE_A, PROVINCE_A, PROVINCE_B
from geo.models import Commune

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)
HEADER = "ho_ten,ngay_sinh,gioi_tinh,cccd,ma_xa,dia_chi,tinh_trang"
B1990, B2004 = datetime.date(1990, 5, 17), datetime.date(2004, 1, 2)


def _csv(*lines: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *lines]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def _run(content: bytes, filename: str = "ds.csv", **kwargs):
    return import_persons(content, filename, today=TODAY, **kwargs)


def _good_rows() -> list[str]:
    return [
        f"Nguyễn Văn Nhập,17/05/1990,Nam,{cccd_for(B1990, 'M', serial=700001)},{COMMUNE_A},12 Lê Duẩn,Sử dụng trái phép",
        f"Trần Thị Hoa,02/01/2004,Nữ,{cccd_for(B2004, 'F', serial=700002)},{COMMUNE_A},,NGHIỆN",
        f"Lê Văn Cai,17/05/1990,nam,{cccd_for(B1990, 'M', serial=700003)},{COMMUNE_A},,dang cai nghien",
        f"Phạm Văn Sau,17/05/1990,NAM,{cccd_for(B1990, 'M', serial=700004)},{COMMUNE_A},,Sau Cai Nghien",
    ]


@pytest.mark.parametrize("bom", [False, True])
def test_a_good_csv_creates_every_person_with_its_status(bom):
    report = _run(_csv(*_good_rows(), bom=bom))
    assert report.ok and report.created == 4, report.lines()
    assert report.lines()[0] == "Đã nhập 4 người vào sổ quản lý."
    persons = {p.full_name: p for p in Person.objects.filter(commune_id=COMMUNE_A)}
    assert {name: p.status for name, p in persons.items()} == {
        "Nguyễn Văn Nhập": "su_dung_trai_phep",
        "Trần Thị Hoa": "nghien",
        "Lê Văn Cai": "dang_cai_nghien",
        "Phạm Văn Sau": "sau_cai_nghien",
    }
    hoa = persons["Trần Thị Hoa"]
    assert (hoa.sex, hoa.birth_year, hoa.birth, hoa.address) == ("F", 2004, B2004, "")
    assert persons["Nguyễn Văn Nhập"].address == "12 Lê Duẩn"
    entry = Decision.objects.get(person=hoa)
    assert (entry.decision_type, entry.decided_on, entry.ruleset.code) == ("ghi_nhan_nghien", TODAY, "LPCMT-2025")
    assert "dòng 3" in entry.note
    # Found by CCCD through the keyed hash, never by decrypting.
    assert Person.objects.filter(cccd_hash=crypto.cccd_hash(cccd_for(B2004, "F", serial=700002))).get() == hoa


def test_imported_persons_count_in_the_figures_from_the_day_of_the_import():
    commune = Commune.objects.get(code=COMMUNE_A)
    before = commune_figures(commune, TODAY)
    _run(_csv(*_good_rows()))
    after = commune_figures(commune, TODAY)
    assert after["total"] - before["total"] == 4
    assert after["by_status"]["nghien"] - before["by_status"]["nghien"] == 1
    assert after["post_rehab"] - before["post_rehab"] == 1
    assert commune_figures(commune, TODAY - datetime.timedelta(days=1))["total"] == before["total"]


def test_the_raw_database_holds_no_plaintext_after_an_import():
    _run(_csv(*_good_rows()))
    text = _all_rows_text()
    for secret in (
        "Nguyễn Văn Nhập",
        "nguyen van nhap",
        "Trần Thị Hoa",
        "12 Lê Duẩn",
        cccd_for(B2004, "F", serial=700002),
    ):
        assert secret not in text, secret


def test_semicolons_and_a_person_without_cccd_with_a_reason():
    content = _csv(
        f"Đỗ Văn Không;17/05/1990;Nam;;{COMMUNE_A};;Nghiện;Chưa được cấp thẻ căn cước, số định danh cá nhân",
        f"Đỗ Văn Mã;17/05/1990;Nam;;{COMMUNE_A};;Nghiện;khong_xac_dinh",
        header=HEADER.replace(",", ";") + ";ly_do_khong_cccd",
    )
    report = _run(content)
    assert report.ok, report.lines()
    reasons = sorted(Person.objects.filter(cccd_hash__isnull=True).values_list("no_cccd_reason", flat=True))
    assert reasons == ["chua_cap", "khong_xac_dinh"]


def _xlsx(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER.split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_date_cells_and_numbers_that_lost_their_leading_zeros():
    number = cccd_for(B1990, "M", serial=700011)
    assert number.startswith("0")
    content = _xlsx(
        [
            ["Hoàng Văn Số", datetime.datetime(1990, 5, 17), "Nam", int(number), int(COMMUNE_A), "Thôn 1", "Nghiện"],
            [
                "Hoàng Thị Chữ",
                "02/01/2004",
                "Nữ",
                cccd_for(B2004, "F", serial=700012),
                COMMUNE_A,
                None,
                "sử dụng trái phép",
            ],
            [None, None, None, None, None, None, None],  # an empty row is skipped
        ]
    )
    report = _run(content, "danh-sach.xlsx")
    assert report.ok and report.created == 2, report.lines()
    assert Person.objects.get(cccd_hash=crypto.cccd_hash(number)).full_name == "Hoàng Văn Số"


def test_one_bad_row_and_nothing_is_written():
    count = Person.objects.count()
    existing = _run(_csv(_good_rows()[0]))
    assert existing.created == 1
    count += 1
    dup = cccd_for(B1990, "M", serial=700021)
    rows = [
        f"Người Tốt,17/05/1990,Nam,{cccd_for(B1990, 'M', serial=700020)},{COMMUNE_A},,Nghiện",  # line 2: fine
        f"Sai Tỉnh,17/05/1990,Nam,016090700022,{COMMUNE_A},,Nghiện",  # 3: not a pre-2025 province code
        f"Sai Thế Kỷ,17/05/1990,Nam,066290700023,{COMMUNE_A},,Nghiện",  # 4: century digit
        f"Sai Năm,17/05/1990,Nam,066091700024,{COMMUNE_A},,Nghiện",  # 5: birth year digits
        f"Thiếu Số,17/05/1990,Nam,06609070002,{COMMUNE_A},,Nghiện",  # 6: 11 digits
        f"Sai Ngày,31/02/1990,Nam,{cccd_for(B1990, 'M', serial=700025)},{COMMUNE_A},,Nghiện",  # 7
        f"Sai Giới,17/05/1990,Khác,{cccd_for(B1990, 'M', serial=700026)},{COMMUNE_A},,Nghiện",  # 8
        f"Sai Xã,17/05/1990,Nam,{cccd_for(B1990, 'M', serial=700027)},99999,,Nghiện",  # 9
        f"Sai Tình Trạng,17/05/1990,Nam,{cccd_for(B1990, 'M', serial=700028)},{COMMUNE_A},,Đã chết",  # 10
        f"Trùng Một,17/05/1990,Nam,{dup},{COMMUNE_A},,Nghiện",  # 11
        f"Trùng Hai,17/05/1990,Nam,{dup},{COMMUNE_A},,Nghiện",  # 12
        f"Đã Có,17/05/1990,Nam,{cccd_for(B1990, 'M', serial=700001)},{COMMUNE_A},,Nghiện",  # 13: in the registry
        f"Không Lý Do,17/05/1990,Nam,,{COMMUNE_A},,Nghiện",  # 14: no CCCD, no reason
        f",17/05/1990,Nam,{cccd_for(B1990, 'M', serial=700029)},{COMMUNE_A},,Nghiện",  # 15: no name
        f"Sai Nữ,17/05/1990,Nữ,{cccd_for(B1990, 'M', serial=700030)},{COMMUNE_A},,Nghiện",  # 16: sex digit
    ]
    report = _run(_csv(*rows))
    assert not report.ok and report.created == 0
    assert Person.objects.count() == count
    by_line = {row.line: " ".join(row.problems) for row in report.refused}
    assert sorted(by_line) == list(range(3, 17))
    expected = {
        3: "không phải mã tỉnh",
        4: "2000–2099",
        5: "hai số cuối năm sinh",
        6: "đúng 12 chữ số",
        7: "Ngày 31/02/1990 không tồn tại",
        8: "phải là Nam hoặc Nữ",
        9: "không có trong danh mục 3.321",
        10: "phải là một trong «Sử dụng trái phép», «Nghiện», «Đang cai nghiện», «Sau cai nghiện»",
        11: "CCCD trùng với dòng 12 trong tệp",
        12: "CCCD trùng với dòng 11 trong tệp",
        13: "CCCD đã có trong sổ quản lý",
        14: "phải ghi rõ lý do",
        15: "thiếu họ tên",
        16: "là mã nam, không khớp giới tính",
    }
    for line, fragment in expected.items():
        assert fragment in by_line[line], (line, by_line[line])
    lines = report.lines()
    assert lines[0].startswith("Dòng 3: CCCD: Ba chữ số đầu 016")
    assert lines[-1].startswith("Không nhập người nào: 14 trong 15 dòng bị từ chối")


def test_dry_run_writes_nothing():
    count = Person.objects.count()
    report = _run(_csv(*_good_rows()), dry_run=True)
    assert report.ok and report.created == 0
    assert report.lines() == [
        "Kiểm tra xong: 4 dòng hợp lệ, chưa ghi gì (chạy thử).",
        "Theo tình trạng: Sử dụng trái phép 1, Nghiện 1, Đang cai nghiện 1, Sau cai nghiện 1.",
    ]
    assert Person.objects.count() == count


def test_province_restricts_the_communes():
    report = _run(_csv(*_good_rows()), province=PROVINCE_B)
    assert not report.ok and len(report.refused) == 4
    assert f"không thuộc tỉnh {PROVINCE_B}" in report.refused[0].problems[0]
    assert _run(_csv(*_good_rows()), province=PROVINCE_A).created == 4
    with pytest.raises(ImportFileError, match="Mã tỉnh «99»"):
        _run(_csv(*_good_rows()), province="99")


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (_csv("x", header="ho_ten,ngay_sinh,gioi_tinh"), "ds.csv", "Thiếu cột: cccd, ma_xa, dia_chi, tinh_trang"),
        ("ho_ten\nNguyễn".encode("utf-16"), "ds.csv", "UTF-8"),
        (b"", "ds.csv", "Tệp trống"),
        (b"abc", "ds.txt", "Chỉ nhận tệp .csv hoặc .xlsx"),
        (b"not a zip", "ds.xlsx", "Không đọc được tệp XLSX"),
    ],
)
def test_files_that_are_not_a_list(content, filename, message):
    with pytest.raises(ImportFileError, match=message):
        _run(content, filename)


def test_vietnamese_headers_with_diacritics_are_read():
    header = "Họ tên,Ngày sinh,Giới tính,CCCD,Mã xã,Địa chỉ,Tình trạng"
    assert _run(_csv(_good_rows()[0], header=header)).created == 1


def test_the_command(tmp_path, capsys):
    good = tmp_path / "ds.csv"
    good.write_bytes(_csv(*_good_rows(), bom=True))
    call_command("import_persons", str(good), "--dry-run")
    assert "Kiểm tra xong: 4 dòng hợp lệ" in capsys.readouterr().out
    assert not Person.objects.filter(commune_id=COMMUNE_A, name_hash=crypto.name_hash("Trần Thị Hoa")).exists()
    call_command("import_persons", str(good), "--province", PROVINCE_A)
    out = capsys.readouterr().out
    assert "Đã nhập 4/4 người" in out and "Đã nhập 4 người vào sổ quản lý." in out
    # The same file again: every CCCD is already there, the command fails with the report.
    with pytest.raises(CommandError, match="Dòng 2: CCCD đã có trong sổ quản lý"):
        call_command("import_persons", str(good))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_persons", str(tmp_path / "khong-co.csv"))
