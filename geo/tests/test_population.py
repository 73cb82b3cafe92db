import pytest

from audit.models import AuditEvent
from geo.models import Commune, Population
from geo.services import import_population_csv, set_population


def _import(user, text: str, province="66"):
    return import_population_csv(
        acting_user=user, data=text.encode("utf-8"), communes=Commune.objects.filter(province_id=province)
    )


@pytest.mark.django_db
def test_setting_population_is_audited(office_a):
    commune = Commune.objects.get(code="24133")
    set_population(acting_user=office_a, commune=commune, year=2026, population=1234, source="Công an xã")
    assert Population.objects.get(commune=commune, year=2026).population == 1234
    set_population(acting_user=office_a, commune=commune, year=2026, population=1300)
    event = AuditEvent.objects.filter(action="population.set").first()
    assert event.changes["population"] == [1234, 1300]
    assert event.actor == office_a and event.province_code == "66"


@pytest.mark.django_db
def test_a_clean_file_is_imported_and_reimport_is_idempotent(office_a):
    text = "code,year,population\n24133,2026,130000\n24169,2026,110000\n"
    report = _import(office_a, text)
    assert report.ok and (report.created, report.updated) == (2, 0)
    again = _import(office_a, text)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert Population.objects.get(commune_id="24169", year=2026).population == 110000


@pytest.mark.django_db
def test_vietnamese_thousand_separators_are_accepted(office_a):
    report = _import(office_a, 'code,year,population\n24133,2027,"130.500"\n')
    assert report.ok
    assert Population.objects.get(commune_id="24133", year=2027).population == 130500


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("99999,2026,100", "mã xã «99999» không có"),
        ("24133,2026,-5", "không được âm"),
        ("24133,2026,abc", "nhân khẩu: «abc» không phải là số"),
        ("24133,2026,12.5", "«12.5» không phải là số nguyên"),
        ("24133,năm,100", "năm «năm» không hợp lệ"),
        ("24133,1850,100", "năm «1850» không hợp lệ"),
        ("24133,2026", "cần đúng 3 cột"),
    ],
)
def test_a_file_with_any_bad_row_is_rejected_whole(office_a, row, message):
    before = Population.objects.count()
    report = _import(office_a, f"code,year,population\n24169,2026,110000\n{row}\n")
    assert not report.ok
    assert report.errors[0].startswith("Dòng 3:")
    assert message in report.errors[0]
    assert Population.objects.count() == before


@pytest.mark.django_db
def test_duplicate_rows_are_reported_with_the_first_line(office_a):
    report = _import(office_a, "code,year,population\n24133,2026,1\n24133,2026,2\n")
    assert report.errors == ["Dòng 3: trùng với dòng 2 (cùng mã xã và năm)."]


@pytest.mark.django_db
def test_a_commune_of_another_province_counts_as_unknown(office_a):
    hung_yen = Commune.objects.filter(province_id="33").first()
    report = _import(office_a, f"code,year,population\n{hung_yen.code},2026,100\n")
    assert not report.ok and "không có trong danh sách" in report.errors[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"ma,nam,dan\n1,2,3\n", "tiêu đề phải là"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"code,year,population\n", "không có dòng dữ liệu"),
    ],
)
def test_malformed_files_get_a_clear_message(office_a, data, message):
    report = import_population_csv(acting_user=office_a, data=data, communes=Commune.objects.all())
    assert not report.ok and message in report.errors[0]


@pytest.mark.django_db
def test_the_import_service_checks_scope_itself_whatever_communes_it_is_given(office_b):
    """A caller passing every commune cannot make province B's office write province A's figures."""
    before = Population.objects.count(), AuditEvent.objects.count()
    report = import_population_csv(
        acting_user=office_b, data=b"code,year,population\n24133,2031,5000\n", communes=Commune.objects.all()
    )
    assert not report.ok and "không có trong danh sách xã bạn được cập nhật" in report.errors[0]
    assert (Population.objects.count(), AuditEvent.objects.count()) == before
