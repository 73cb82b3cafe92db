"""The elements a consolidation reads are kept per process while the catalogue's generation token
stands (reporting.services.versions.elements_of): every write of an element or a combination
gives a new token, and a rolled-back write brings the earlier token back with the earlier
elements, so the kept elements are never stale."""

from __future__ import annotations

import pytest
from django.db import transaction

from geo.models import Province
from reporting.models import DataElement, Submission
from reporting.periods import parse
from reporting.services import consolidation, versions
from reporting.tests.builders_consolidation import PROVINCE_A, commune_world

Q2 = parse("2026Q2")


@pytest.fixture
def world(db):
    world = commune_world()
    # Reports opened on the grid or by an import take the period's version (entry.open_submission).
    Submission.objects.filter(schedule__form=world.form).update(form_version=versions.current_version(world.form))
    return world


def _names(world) -> set[str]:
    report = consolidation.province_report(form=world.form, period=Q2, province=Province.objects.get(code=PROVINCE_A))
    return {row.element.name for row in report.rows}


def test_the_report_is_entered_under_a_version_whose_elements_are_kept(world, django_assert_num_queries):
    used = versions.used_in(world.form, "2026Q2", PROVINCE_A)
    assert used, "the world's reports have a form version"
    versions.elements_of(used)
    with django_assert_num_queries(1):  # the generation token only
        elements = versions.elements_of(used)
    assert {e.code for e in elements.values()} >= {"ZC_SUM", "ZC_LAST"}


def test_a_renamed_element_is_read_again(world):
    assert "Số người có hồ sơ quản lý (thử)" in _names(world)
    element = DataElement.objects.get(code="ZC_SUM")
    element.name = "Người có hồ sơ quản lý (đổi tên)"
    element.save()
    names = _names(world)
    assert "Người có hồ sơ quản lý (đổi tên)" in names and "Số người có hồ sơ quản lý (thử)" not in names


def test_a_changed_combination_is_read_again(world):
    def row_categories() -> list[str]:
        report = consolidation.province_report(
            form=world.form, period=Q2, province=Province.objects.get(code=PROVINCE_A)
        )
        return [r.category for r in report.rows if r.element.code == "ZC_SUM"]

    assert row_categories() == ["", "M", "F"]
    combo = DataElement.objects.get(code="ZC_SUM").category_combo
    combo.option_list = [*combo.option_list, ["U18", "Dưới 18 tuổi", "PCMT_TUOI"]]
    combo.save()
    assert row_categories() == ["", "M", "F", "U18"]


def test_a_rolled_back_rename_leaves_no_stale_element(world):
    before = _names(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        element = DataElement.objects.get(code="ZC_LAST")
        element.name = "Tên chưa lưu"
        element.save()
        assert "Tên chưa lưu" in _names(world)  # kept under the new token
        raise RuntimeError("rolled back")
    assert _names(world) == before
