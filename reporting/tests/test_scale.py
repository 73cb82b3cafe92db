"""The national dataset generator on a tiny scale, and consolidation against the raw GROUP BY."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from geo.models import Province
from reporting.management.commands.generate_national_dataset import generate, quarters
from reporting.models import DataValue, Form, Submission
from reporting.services import consolidation

TODAY = dt.date(2026, 11, 25)


def test_quarters_end_with_the_last_complete_one():
    qs = quarters(5, TODAY)
    assert len(qs) == 20 and qs[-1].id == "2026Q3" and qs[0].id == "2021Q4"


@pytest.mark.django_db
def test_tiny_national_dataset_is_approved_consistent_and_idempotent():
    out = io.StringIO()
    totals = generate(provinces=["66", "33"], communes_per_province=3, years=1, today=TODAY, out=out)
    assert totals["submissions"] == 2 * 3 * 4 and totals["values"] % 24 == 0 and totals["values"] >= 24 * 40
    assert "[2/2]" in out.getvalue()
    subs = Submission.objects.filter(schedule__form__code="XA_QUY")
    assert subs.count() == 24 and set(subs.values_list("status", flat=True)) == {"approved"}
    assert all(s.reviewed_at > s.submitted_at for s in subs)
    assert len({s.form_version_id for s in subs} - {None}) == 1, "entered under the form's version, as on the grid"
    assert not subs.filter(form_version__isnull=True).exists()
    values = {}
    for sub_id, code, cat, v in DataValue.objects.filter(submission__in=subs).values_list(
        "submission_id", "element__code", "category", "value"
    ):
        values[(sub_id, code, cat)] = v
    for sub in subs:
        get = lambda code, cat="", sub=sub: values[(sub.pk, code, cat)]  # noqa: E731
        assert get("ADDICT_POSITIVE") <= get("ADDICT_DETERMINATIONS")
        assert get("PLACES_ELIMINATED") <= get("PLACES_DETECTED") + get("PLACES_CARRIED")
        assert get("MGMT_ADDICTS", "M") + get("MGMT_ADDICTS", "F") == get("MGMT_ADDICTS")
        assert get("LEGAL_AID_GIVEN") <= get("LEGAL_AID_REQUESTED")
        assert get("STATUS_HOME_REHAB") <= get("MGMT_ADDICTS")
        assert get("USERS_EXCL_TREATMENT") <= get("MGMT_ADDICTS") + get("MGMT_USERS")
        assert get("STATUS_COMPULSORY", "M") + get("STATUS_COMPULSORY", "F") == get("STATUS_COMPULSORY")
        assert get("FUGITIVES_HIDING") in (0, 1)
    again = generate(provinces=["66", "33"], communes_per_province=3, years=1, today=TODAY)
    assert again["submissions"] == 0 and Submission.objects.filter(schedule__form__code="XA_QUY").count() == 24


@pytest.mark.django_db
def test_the_command_prints_progress():
    out = io.StringIO()
    call_command(
        "generate_national_dataset", "--years", "1", "--provinces", "66", "--communes-per-province", "2", stdout=out
    )
    assert "Tỉnh Đắk Lắk" in out.getvalue() and "Xong: 1 tỉnh, 8 báo cáo" in out.getvalue()


@pytest.mark.django_db
def test_consolidation_matches_the_raw_group_by():
    generate(provinces=["66"], communes_per_province=4, years=1, today=TODAY)
    form = Form.objects.get(code="XA_QUY")
    report = consolidation.province_report(
        form=form, period=quarters(1, TODAY)[-1], province=Province.objects.get(code="66")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.code, SUM(v.value) FROM reporting_datavalue v JOIN reporting_submission s ON s.id = v.submission_id "
            "JOIN reporting_dataelement e ON e.id = v.element_id WHERE s.province_id = %s AND s.period = %s AND s.status = 'approved' "
            "AND v.category = '' AND e.aggregation IN ('sum', 'last') GROUP BY e.code",
            ["66", "2026Q3"],
        )
        q = Decimal("0.001")
        raw = {code: Decimal(str(total)).quantize(q) for code, total in cursor.fetchall()}  # SQLite sums in floats
    assert raw and {code: report.total(code).quantize(Decimal("0.001")) for code in raw} == raw
    assert report.reported == 4 and report.as_of is not None
