"""DHIS2 exchange without hand mapping: the metadata package, stable uids, dataValueSets in and out
with every id scheme, DHIS2's import summary, dry run, partial import, one-off reports, the round
trip PCMT → DHIS2 format → PCMT, pages and API with their permissions.

Payload shapes follow DHIS2's own documentation, "Sending data values"
(https://docs.dhis2.org/en/develop/using-the-api/dhis-core-version-master/data.html): a data value
set with top-level dataSet, completeDate, period, orgUnit and attributeOptionCombo, values with
dataElement, categoryOptionCombo, value and comment; its CSV layout
(dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup);
and its ImportSummary (responseType, status, importOptions, description, importCount with
imported/updated/ignored/deleted, conflicts with object and value, dataSetComplete). The ids are
PCMT's own (DHIS2's demo ids do not exist here); the default combination keeps DHIS2's id.

The clock stands on 20/09/2026: 2026Q3 is open; 2026Q2 is closed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
import time_machine
from django.urls import reverse

from conftest import follow_job
from dhis2 import services
from dhis2.metadata import Catalogue
from dhis2.uids import DEFAULT_CATEGORY_COMBO, DEFAULT_COC, is_uid, uid
from reporting.models import DataValue, Submission
from reporting.tests.builders_consolidation import PROVINCE_A, PROVINCE_B, commune_world

PERSONAS = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
NOW = dt.datetime(2026, 9, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return commune_world()


def _cells(org_unit: str, **values):
    cells = {"ZC_SUM": 14, "ZC_AVG": 12.5, "ZC_MAX": 5, "ZC_LAST": 100, "ZC_DEN": 1} | values
    return [{"dataElement": uid("dataElement", code), "value": str(v)} for code, v in cells.items()]


def test_uids_are_stable_and_shaped_like_dhis2():
    a = uid("dataElement", "ZC_SUM")
    assert a == uid("dataElement", "ZC_SUM") and is_uid(a) and len(a) == 11 and a[0].isalpha()
    assert uid("dataElement", "ZC_SUM") != uid("orgUnit", "ZC_SUM")
    assert len({uid("orgUnit", str(n)) for n in range(5000)}) == 5000


def test_metadata_package_is_complete_and_consistent(world):
    from geo.models import Province

    package = Catalogue(Province.objects.get(code=PROVINCE_A)).package()
    ids = Counter(o["id"] for key, objs in package.items() if key != "system" for o in objs)
    assert not [i for i, n in ids.items() if n > 1], "every id once"
    assert all(is_uid(i) for i in ids)
    known = set(ids) | {DEFAULT_CATEGORY_COMBO}
    refs = []
    for de in package["dataElements"]:
        refs.append(de["categoryCombo"]["id"])
        assert len(de["shortName"]) <= 50 and de["domainType"] == "AGGREGATE"
    for ds in package["dataSets"]:
        refs += [e["dataElement"]["id"] for e in ds["dataSetElements"]] + [o["id"] for o in ds["organisationUnits"]]
    for coc in package["categoryOptionCombos"]:
        refs += [coc["categoryCombo"]["id"]] + [o["id"] for o in coc["categoryOptions"]]
    for ou in package["organisationUnits"]:
        refs += [ou["parent"]["id"]] if "parent" in ou else []
    assert set(refs) <= known, set(refs) - known
    codes = {de["code"]: de for de in package["dataElements"]}
    # The total and its breakdown by sex are two data elements; the breakdown uses the sex combination.
    assert codes["ZC_SUM"]["categoryCombo"]["id"] == DEFAULT_CATEGORY_COMBO
    assert codes["ZC_SUM_GT"]["categoryCombo"]["id"] == uid("categoryCombo", "PCMT_GIOI_TINH")
    assert codes["ZC_AVG"]["aggregationType"] == "AVERAGE" and codes["ZC_LAST"]["aggregationType"] == "LAST"
    (ds,) = [d for d in package["dataSets"] if d["code"] == "ZC_COMMUNE_QUARTERLY"]
    assert ds["periodType"] == "Quarterly"
    assert "KHÔNG trùng với quý lịch của DHIS2" in ds["description"]  # the schedule's 14th-day convention
    assert len(ds["organisationUnits"]) == 3  # the three communes of A's schedule
    units = {ou["code"] for ou in package["organisationUnits"]}
    assert PROVINCE_A in units and PROVINCE_B not in units and f"{PROVINCE_A}:SYT" in units


def test_export_in_every_id_scheme_carries_dhis2_fields(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    by_scheme = {}
    for scheme in ("UID", "CODE", "NAME"):
        values = list(
            services.export_value_set(
                user=office_a, form=world.form, period="2026Q2", opts=services.options({"idScheme": scheme})
            )
        )
        by_scheme[scheme] = values
    code_rows = by_scheme["CODE"]
    male = next(
        v
        for v in code_rows
        if v["dataElement"] == "ZC_SUM_GT" and v["categoryOptionCombo"] == "M" and v["orgUnit"] == a1
    )
    assert male["value"] == "6" and male["attributeOptionCombo"] == "default"
    assert set(male) == {
        "dataElement",
        "period",
        "orgUnit",
        "categoryOptionCombo",
        "attributeOptionCombo",
        "value",
        "storedBy",
        "created",
        "lastUpdated",
        "comment",
        "followup",
    }
    uid_male = by_scheme["UID"][code_rows.index(male)]
    assert uid_male["dataElement"] == uid("dataElement", "ZC_SUM_GT") and uid_male["orgUnit"] == uid("orgUnit", a1)
    assert uid_male["categoryOptionCombo"] == uid("categoryOptionCombo", "M")
    total = next(v for v in by_scheme["UID"] if v["dataElement"] == uid("dataElement", "ZC_SUM"))
    assert total["categoryOptionCombo"] == DEFAULT_COC and total["attributeOptionCombo"] == DEFAULT_COC
    name_male = by_scheme["NAME"][code_rows.index(male)]
    assert name_male["categoryOptionCombo"] == "Nam" and name_male["dataElement"].endswith("— theo giới tính")


@pytest.mark.parametrize("scheme", ["UID", "CODE", "NAME"])
def test_round_trip_pcmt_dhis2_pcmt_changes_nothing(world, office_a, scheme):
    """PCMT's values out in DHIS2's format, back into an open quarter, out again: identical."""
    opts = services.options({"idScheme": scheme})
    out = list(services.export_value_set(user=office_a, form=world.form, period="2026Q2", province=None, opts=opts))
    out = [v for v in out if v["orgUnit"] in {_shown(scheme, c) for c in world.communes[PROVINCE_A]}]
    moved = {"completeDate": "2026-09-20", "dataValues": [v | {"period": "2026Q3"} for v in out]}
    summary = services.import_value_set(acting_user=office_a, data=json.dumps(moved).encode(), opts=opts)
    assert summary.status == "SUCCESS", summary.as_dict()["conflicts"]
    back = list(
        services.export_value_set(user=office_a, form=world.form, period="2026Q3", include_submitted=True, opts=opts)
    )

    def key(v):
        return (v["dataElement"], v["orgUnit"], v["categoryOptionCombo"], v["value"], v["comment"])

    assert sorted(map(key, back)) == sorted(map(key, out))
    again = services.import_value_set(acting_user=office_a, data=json.dumps(moved).encode(), opts=opts)
    assert again.as_dict()["importCount"] == {"imported": 0, "updated": 0, "ignored": len(out), "deleted": 0}


def _shown(scheme: str, commune: str) -> str:
    from geo.models import Commune

    return {"UID": uid("orgUnit", commune), "CODE": commune, "NAME": Commune.objects.get(code=commune).name}[scheme]


def test_documented_payload_shape_imports_with_its_summary(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    payload = {
        "dataSet": uid("dataSet", "ZC_COMMUNE_QUARTERLY"),
        "completeDate": "2026-09-18",
        "period": "2026Q3",
        "orgUnit": uid("orgUnit", a1),
        "attributeOptionCombo": DEFAULT_COC,
        "dataValues": _cells(a1)
        + [
            {
                "dataElement": uid("dataElement", "ZC_SUM_GT"),
                "categoryOptionCombo": uid("categoryOptionCombo", "F"),
                "value": "4",
                "comment": "Số liệu của Công an xã",
            },
        ],
    }
    summary = services.import_value_set(acting_user=office_a, data=payload, opts=services.options({})).as_dict()
    assert summary["responseType"] == "ImportSummary" and summary["status"] == "SUCCESS"
    assert summary["importCount"]["imported"] + summary["importCount"]["updated"] == 6
    assert summary["importCount"]["deleted"] == 0 and summary["conflicts"] == []
    assert summary["dataSetComplete"] == "2026-09-18"
    assert summary["importOptions"]["idSchemes"]["dataElementIdScheme"] == "UID"
    sub = Submission.objects.get(commune_id=a1, period="2026Q3")
    assert sub.status == "submitted"  # completeDate: DHIS2's complete registration
    assert DataValue.objects.get(submission=sub, element__code="ZC_SUM", category="F").value == 4
    # PCMT keeps one explanation per element: a comment on a breakdown is the element's explanation.
    assert (
        DataValue.objects.get(submission=sub, element__code="ZC_SUM", category="").comment == "Số liệu của Công an xã"
    )


def test_csv_layout_of_dhis2_imports(world, office_a):
    a2 = world.communes[PROVINCE_A][1]
    lines = [
        '"dataelement","period","orgunit","catoptcombo","attroptcombo","value","storedby","lastupdated","comment","followup"'
    ]
    for code, value in {"ZC_SUM": 14, "ZC_AVG": 12.5, "ZC_MAX": 5, "ZC_LAST": 100, "ZC_DEN": 1}.items():
        lines.append(f'"{code}","2026Q3","{a2}","default",,"{value}","dhis2","2026-09-17",,"false"')
    summary = services.import_value_set(
        acting_user=office_a,
        data="\n".join(lines).encode(),
        content_type="text/csv",
        opts=services.options({"idScheme": "CODE"}),
    )
    assert summary.status == "SUCCESS", summary.as_dict()
    assert Submission.objects.get(commune_id=a2, period="2026Q3").status == "draft"  # no completeDate


def test_conflicts_are_listed_and_nothing_is_written_by_default(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    values = _cells(a1) + [{"dataElement": "khongcoxxxx", "value": "1"}]
    payload = {"period": "2026Q3", "orgUnit": uid("orgUnit", a1), "dataValues": values}
    summary = services.import_value_set(acting_user=office_a, data=payload, opts=services.options({})).as_dict()
    assert summary["status"] == "ERROR"
    assert summary["conflicts"] == [
        {
            "object": "khongcoxxxx",
            "value": "Không tìm thấy chỉ tiêu (dataElement) «khongcoxxxx» theo UID.",
            "indexes": [5],
        }
    ]
    assert not Submission.objects.filter(commune_id=a1, period="2026Q3").exclude(status="draft").exists()
    assert not DataValue.objects.filter(submission__period="2026Q3", submission__commune_id=a1, value=14).exists()


def test_partial_import_is_a_stated_option(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    values = _cells(a1) + [{"dataElement": uid("dataElement", "ZC_MAX"), "value": "mười"}]
    values[2] = {"dataElement": uid("dataElement", "ZC_MAX"), "value": "5"}
    payload = {
        "period": "2026Q3",
        "orgUnit": uid("orgUnit", a1),
        "dataValues": values[:-1]
        + [
            {
                "dataElement": uid("dataElement", "ZC_DEN"),
                "orgUnit": uid("orgUnit", world.communes[PROVINCE_B][0]),
                "value": "1",
            }
        ],
    }
    summary = services.import_value_set(
        acting_user=office_a, data=payload, opts=services.options({"atomicMode": "NONE"})
    ).as_dict()
    assert summary["status"] == "WARNING"
    assert summary["importCount"]["imported"] + summary["importCount"]["updated"] == 5
    assert len(summary["conflicts"]) == 1 and "ngoài phạm vi" in summary["conflicts"][0]["value"]


def test_dry_run_writes_nothing(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    before = DataValue.objects.count()
    payload = {"period": "2026Q3", "orgUnit": uid("orgUnit", a1), "dataValues": _cells(a1, ZC_SUM=15)}
    summary = services.import_value_set(acting_user=office_a, data=payload, opts=services.options({"dryRun": "true"}))
    assert summary.status == "SUCCESS" and summary.as_dict()["importOptions"]["dryRun"] is True
    assert DataValue.objects.count() == before


def test_one_off_reports_travel_with_the_once_attribute(world, office_a):
    from reporting.tests.builders_consolidation import make_schedule, make_submission

    schedule = make_schedule(
        world.form, PROVINCE_A, communes=world.communes[PROVINCE_A], first_period="2026", frequency="once"
    )
    make_submission(schedule, "2026", commune=world.communes[PROVINCE_A][0], values={"ZC_SUM": 3})
    values = list(
        services.export_value_set(
            user=office_a, form=world.form, period="2026", opts=services.options({"idScheme": "CODE"})
        )
    )
    assert [(v["dataElement"], v["attributeOptionCombo"]) for v in values] == [("ZC_SUM", "ONCE")]
    rows, conflicts = services.to_exchange_rows(values, services.options({"idScheme": "CODE"}), Catalogue(None))
    assert not conflicts and rows[0].kind == "once"


@pytest.mark.parametrize(
    "params, refusal",
    [
        ({"idScheme": "ID"}, "idScheme «ID» không hợp lệ"),
        ({"orgUnitIdScheme": "ATTRIBUTE:abc"}, "orgUnitIdScheme «ATTRIBUTE:abc» không hợp lệ"),
        ({"importStrategy": "DELETE"}, "DELETE không được hỗ trợ"),
        ({"skipExistingCheck": "true"}, "tham số «skipExistingCheck» không được hỗ trợ"),
        ({"atomicMode": "OBJECT"}, "atomicMode «OBJECT» không hợp lệ"),
    ],
)
def test_parameters_are_honoured_or_refused(world, office_a, params, refusal):
    summary = services.import_value_set(acting_user=office_a, data={"dataValues": []}, opts=services.options(params))
    assert summary.status == "ERROR" and refusal in summary.as_dict()["conflicts"][0]["value"]


# ---- pages and API -----------------------------------------------------------------------------

PAGE = {p: 403 for p in PERSONAS} | {"office_a": 200, "office_b": 200, "leader_a": 200}


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_and_package_permissions(login, world, persona):
    client = login(persona)
    assert client.get(reverse("dhis2:index")).status_code == PAGE[persona]
    package = client.get(reverse("dhis2:metadata_province", args=[PROVINCE_A]))
    # The catalogue is reference data: every role may read the package of a province it reaches.
    assert package.status_code == (404 if persona == "office_b" else 200)
    if package.status_code == 200:
        assert json.loads(package.content)["dataElements"]


def test_export_page_runs_a_job_and_import_page_reads_a_file(login, world):
    client = login("office_a")
    response = follow_job(
        client,
        client.get(
            reverse("dhis2:index"),
            {"download": "1", "format": "json", "period": "2026Q2", "province": PROVINCE_A, "id_scheme": "CODE"},
        ),
    )
    assert response.status_code == 200
    values = json.loads(response.content)["dataValues"]
    assert {"ZC_SUM", "ZC_SUM_GT"} <= {v["dataElement"] for v in values}
    a1 = world.communes[PROVINCE_A][0]
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {"period": "2026Q3", "orgUnit": uid("orgUnit", a1), "dataValues": _cells(a1)}
    upload = SimpleUploadedFile("dvs.json", json.dumps(payload).encode(), content_type="application/json")
    response = client.post(reverse("dhis2:import"), {"file": upload, "id_scheme": "UID", "dry_run": ""})
    assert response.status_code == 302
    from jobs.models import Job

    job = Job.objects.get(kind="dhis2.import")
    assert job.status == Job.Status.DONE and "Thành công" in job.message, job.message


def test_api_summary_and_status_codes(login, world):
    client = login("office_a")
    a1 = world.communes[PROVINCE_A][0]
    good = {"period": "2026Q3", "orgUnit": uid("orgUnit", a1), "dataValues": _cells(a1)}
    url = "/api/dhis2/dataValueSets?dryRun=true"
    response = client.post(url, json.dumps(good), content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "SUCCESS"
    bad = good | {"dataValues": [{"dataElement": "x", "value": "1"}]}
    response = client.post(url, json.dumps(bad), content_type="application/json")
    assert response.status_code == 409 and response.json()["status"] == "ERROR"
    exported = client.get("/api/dhis2/dataValueSets", {"period": "2026Q2", "orgUnit": PROVINCE_A, "idScheme": "CODE"})
    assert exported.status_code == 200 and exported.json()["dataValues"]
    assert client.get("/api/dhis2/metadata", {"province": PROVINCE_A}).json()["dataSets"]
    assert client.get("/api/dhis2/metadata", {"province": PROVINCE_B}).status_code == 404  # not in reach


# ---- a DHIS2 instance with its own ids -----------------------------------------------------------


def _their_metadata(world):
    """A metadata export of a DHIS2 that has its own ids (shape of DHIS2's /api/metadata export)."""
    a1, a2, _ = world.communes[PROVINCE_A]
    return {
        "dataElements": [
            {"id": "deSUM000001", "code": "ZC_SUM", "name": "Người có hồ sơ"},
            {"id": "deSUMGT0001", "code": "ZC_SUM_GT", "name": "Người có hồ sơ theo giới"},
            {"id": "deAVG000001", "code": "ZC_AVG", "name": "Tỷ lệ"},
            {"id": "deMAX000001", "code": "ZC_MAX", "name": "Số lớn nhất"},
            {"id": "deLAST00001", "code": "ZC_LAST", "name": "Cuối kỳ"},
            {"id": "deDEN000001", "code": "ZC_DEN", "name": "Số xã"},
            {"id": "deOTHER0001", "code": "MALARIA", "name": "Sốt rét"},
        ],
        "organisationUnits": [
            {"id": "ouA10000001", "code": a1, "name": "Xã 1"},
            {"id": "ouA20000001", "code": a2, "name": "Xã 2"},
        ],
        "categoryOptionCombos": [
            {"id": "cocMale0001", "name": "Male"},
            {"id": "cocFemale01", "name": "Female"},
            {"id": DEFAULT_COC, "name": "default"},
        ],
    }


def test_their_metadata_maps_their_ids_and_their_data_imports(world, office_a):
    from dhis2 import mapping
    from geo.models import Province

    a1 = world.communes[PROVINCE_A][0]
    report = mapping.read_package(
        acting_user=office_a, province=Province.objects.get(code=PROVINCE_A), data=_their_metadata(world)
    )
    assert dict(report.matched) == {"dataElement": 6, "orgUnit": 2, "categoryOptionCombo": 3}
    assert report.unmatched["dataElement"] == ["Sốt rét (MALARIA)"]
    payload = {
        "period": "2026Q3",
        "orgUnit": "ouA10000001",
        "completeDate": "2026-09-19",
        "dataValues": [
            {"dataElement": "deSUM000001", "value": "14"},
            {"dataElement": "deSUMGT0001", "categoryOptionCombo": "cocMale0001", "value": "9"},
            {"dataElement": "deSUMGT0001", "categoryOptionCombo": "cocFemale01", "value": "5"},
            {"dataElement": "deAVG000001", "value": "12.5"},
            {"dataElement": "deMAX000001", "value": "5"},
            {"dataElement": "deLAST00001", "value": "100"},
            {"dataElement": "deDEN000001", "value": "1"},
        ],
    }
    summary = services.import_value_set(acting_user=office_a, data=payload, opts=services.options({}))
    assert summary.status == "SUCCESS", summary.as_dict()["conflicts"]
    sub = Submission.objects.get(commune_id=a1, period="2026Q3")
    assert DataValue.objects.get(submission=sub, element__code="ZC_SUM", category="M").value == 9
    opts = services.options({})
    opts.foreign = True
    out = list(
        services.export_value_set(
            user=office_a,
            form=world.form,
            period="2026Q3",
            province=Province.objects.get(code=PROVINCE_A),
            include_submitted=True,
            opts=opts,
        )
    )
    assert {
        "dataElement": "deSUMGT0001",
        "orgUnit": "ouA10000001",
        "categoryOptionCombo": "cocMale0001",
    }.items() <= next(
        v for v in out if v["dataElement"] == "deSUMGT0001" and v["categoryOptionCombo"] == "cocMale0001"
    ).items()


def test_reading_their_metadata_needs_the_import_right_in_the_province(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dhis2.models import ForeignId

    def upload():
        return SimpleUploadedFile(
            "meta.json", json.dumps(_their_metadata(world)).encode(), content_type="application/json"
        )

    assert (
        login("leader_a").post(reverse("dhis2:mapping"), {"province": PROVINCE_A, "file": upload()}).status_code == 403
    )
    client = login("office_b")
    client.post(reverse("dhis2:mapping"), {"province": PROVINCE_A, "file": upload()})
    assert not ForeignId.objects.exists()  # A is not among B's choices
    client = login("office_a")
    response = client.post(reverse("dhis2:mapping"), {"province": PROVINCE_A, "file": upload()}, follow=True)
    assert ForeignId.objects.filter(province_id=PROVINCE_A).count() == 10  # 6 + 2 + 2 (the default is DHIS2's own id)
    assert "1 đối tượng không tìm thấy trong PCMT" in response.content.decode()
    bad = SimpleUploadedFile("x.json", b"not json", content_type="application/json")
    response = client.post(reverse("dhis2:mapping"), {"province": PROVINCE_A, "file": bad}, follow=True)
    assert "Tệp không phải JSON đọc được" in response.content.decode()
    assert ForeignId.objects.filter(province_id=PROVINCE_A).count() == 10  # kept
