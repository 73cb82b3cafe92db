"""Report kinds on submissions, the authoritative source of each element, agency sections.

Data: every existing report takes its schedule's frequency as its kind (an annual and a one-off
report of 2026 stop sharing totals); the starter elements get their source level (frozen here);
the corrected starter definitions are applied; the starter agency form's sections name their
agencies. `manage.py load_reporting_catalogue` afterwards also drops from the agency form the
items communes are the source of.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

POLICE_FORCES = "CA,BDBP,HQ,HQCK,CSB"
SOURCES = {
    "ADDICT_DETERMINATIONS": ("agency", "SYT"),
    "ADDICT_POSITIVE": ("agency", "SYT"),
    "REHAB_VOL_FACILITY": ("agency", "CA"),
    "REHAB_COMPULSORY": ("agency", "CA"),
    "METHADONE_PATIENTS": ("agency", "SYT"),
    "MED_PSY_SUPPORT": ("agency", "SYT"),
    "LEGAL_AID_REQUESTED": ("agency", "STP"),
    "LEGAL_AID_GIVEN": ("agency", "STP"),
    "DRUG_CASES": ("agency", POLICE_FORCES),
    "DRUG_OFFENDERS": ("agency", POLICE_FORCES),
    "CASES_BORDER": ("agency", POLICE_FORCES),
    "CASES_ORGANISED": ("agency", POLICE_FORCES),
    "CASES_CYBER": ("agency", POLICE_FORCES),
    "SEIZED_HEROIN_G": ("agency", POLICE_FORCES),
    "SEIZED_SYNTH_G": ("agency", POLICE_FORCES),
    "SEIZED_SYNTH_TABLETS": ("agency", POLICE_FORCES),
    "SEIZED_CANNABIS_KG": ("agency", POLICE_FORCES),
    "HS_TOTAL": ("agency", "SYT"),
    "HS_QUALIFIED": ("agency", "SYT"),
    "METHADONE_FACILITIES": ("agency", "SYT"),
    "REHAB_FACILITIES_PUBLIC": ("agency", "CA"),
    "REHAB_FACILITIES_QUALIFIED": ("agency", "CA"),
    "COMM_STUDENTS": ("agency", "SGDDT"),
    "COMM_WORKERS": ("agency", "LDLD"),
    "COMM_SESSIONS": ("both", ""),
    "COMM_PARTICIPANTS": ("both", ""),
    "NOTES": ("both", ""),
}
SECTION_AGENCIES = {
    "A.": POLICE_FORCES,
    "B.": "SYT",
    "C.": "CA",
    "D.": "STP",
    "E.": "SVHTTDL,SGDDT,LDLD,TD,HLHPN,HND,HCCB,MTTQ,BAO",
}
CORRECTED = (
    "MGMT_ADDICTS",
    "MGMT_USERS",
    "REHAB_VOL_COMMUNITY",
    "REHAB_COMPULSORY",
    "POST_REHAB_MGMT",
    "RELAPSES",
    "COUNSEL_POINT",
    "REHAB_COMMUNITY_ORGANISED",
)


def forwards(apps, schema_editor):
    Submission = apps.get_model("reporting", "Submission")
    Schedule = apps.get_model("reporting", "Schedule")
    DataElement = apps.get_model("reporting", "DataElement")
    FormSection = apps.get_model("reporting", "FormSection")
    Submission.objects.update(
        kind=Subquery(Schedule.objects.filter(pk=OuterRef("schedule_id")).values("frequency")[:1])
    )
    for code, (level, agencies) in SOURCES.items():
        DataElement.objects.filter(code=code).update(source_level=level, source_agencies=agencies)
    try:
        from reporting.catalogue import ELEMENTS_BY_CODE
    except ImportError:  # the catalogue moved: nothing to correct from here
        ELEMENTS_BY_CODE = {}
    for code in CORRECTED:
        spec = ELEMENTS_BY_CODE.get(code)
        if spec is not None:
            DataElement.objects.filter(code=code).update(definition=spec.definition)
    for section in FormSection.objects.filter(form__code="SBN_QUY"):
        for prefix, agencies in SECTION_AGENCIES.items():
            if section.name.startswith(prefix):
                section.agency_codes = agencies
                section.save(update_fields=["agency_codes"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_reportnarrative")]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="kind",
            field=models.CharField(
                choices=[
                    ("monthly", "Báo cáo tháng"),
                    ("quarterly", "Báo cáo quý"),
                    ("semiannual", "Báo cáo 6 tháng"),
                    ("annual", "Báo cáo năm"),
                    ("once", "Báo cáo một lần"),
                ],
                default="quarterly",
                max_length=12,
                verbose_name="loại báo cáo",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dataelement",
            name="source_level",
            field=models.CharField(
                choices=[
                    ("commune", "Cấp xã"),
                    ("agency", "Sở, ban, ngành"),
                    ("both", "Cả cấp xã và sở, ban, ngành (tách riêng, không cộng)"),
                ],
                default="commune",
                max_length=8,
                verbose_name="cấp báo cáo chính thức",
            ),
        ),
        migrations.AddField(
            model_name="dataelement",
            name="source_agencies",
            field=models.CharField(
                blank=True,
                max_length=120,
                verbose_name="cơ quan báo cáo chính thức (mã, cách nhau bởi dấu phẩy; trống: mọi cơ quan)",
            ),
        ),
        migrations.AddField(
            model_name="formsection",
            name="agency_codes",
            field=models.CharField(
                blank=True,
                max_length=120,
                verbose_name="cơ quan nhập phần này (mã, cách nhau bởi dấu phẩy; trống: mọi cơ quan)",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=["monthly", "quarterly", "semiannual", "annual", "once"]),
                name="submission_kind_known",
            ),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["province", "kind", "period", "status"], name="reporting_s_provinc_kind_idx"),
        ),
    ]
