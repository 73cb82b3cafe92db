"""Every form that has reports gets its version 1 (its structure today), and every existing
report is attached to it: old data stay readable and consolidate with the form they were
entered under, whatever the form becomes."""

from django.db import migrations


def snapshot(apps, form):
    FormSection = apps.get_model("reporting", "FormSection")
    FormItem = apps.get_model("reporting", "FormItem")
    ValidationRule = apps.get_model("reporting", "ValidationRule")
    sections = []
    for section in FormSection.objects.filter(form=form).order_by("order", "id"):
        items = [
            [i.element_id, code, i.required]
            for i, code in (
                (i, i.element.code)
                for i in FormItem.objects.filter(section=section).select_related("element").order_by("order", "id")
            )
        ]
        sections.append({"name": section.name, "agency_codes": section.agency_codes, "items": items})
    rules = [
        [r.code, r.left, r.operator, r.right, r.message, r.severity, r.missing_as_zero]
        for r in ValidationRule.objects.filter(form=form).order_by("id")
    ]
    return {"sections": sections, "rules": rules}


def forwards(apps, schema_editor):
    Form = apps.get_model("reporting", "Form")
    FormVersion = apps.get_model("reporting", "FormVersion")
    Submission = apps.get_model("reporting", "Submission")
    for form in Form.objects.filter(schedules__submissions__isnull=False).distinct():
        version = FormVersion.objects.create(form=form, number=1, snapshot=snapshot(apps, form))
        Submission.objects.filter(schedule__form=form).update(form_version=version)


def backwards(apps, schema_editor):
    apps.get_model("reporting", "Submission").objects.update(form_version=None)
    apps.get_model("reporting", "FormVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0010_form_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
