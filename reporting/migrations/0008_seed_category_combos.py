"""Category combinations as data: today's breakdowns (sex; under/over 18; both, as separate
"trong đó" groups, not crossed) keep their codes and meaning, and the national statistics' age
bands join them. Every element's `disaggregation` becomes a link to its combination."""

from django.db import migrations

# (code, name, DHIS2 data element suffix, [(option code, name)])
CATEGORIES = [
    ("PCMT_GIOI_TINH", "Giới tính", "_GT", [("M", "Nam"), ("F", "Nữ")]),
    (
        "PCMT_NHOM_TUOI",
        "Nhóm tuổi (dưới 18 / từ 18)",
        "_TUOI",
        [("U18", "Dưới 18 tuổi"), ("A18", "Từ 18 tuổi trở lên")],
    ),
    (
        "PCMT_NHOM_TUOI_TK",
        "Nhóm tuổi theo thống kê quốc gia",
        "_NTK",
        [
            ("AG0_13", "Dưới 14 tuổi"),
            ("AG14_15", "Từ đủ 14 đến dưới 16 tuổi"),
            ("AG16_17", "Từ đủ 16 đến dưới 18 tuổi"),
            ("AG18_29", "Từ đủ 18 đến dưới 30 tuổi"),
            ("AG30P", "Từ đủ 30 tuổi trở lên"),
        ],
    ),
]
COMBOS = [
    ("sex", "Theo giới tính", ["PCMT_GIOI_TINH"]),
    ("age", "Theo nhóm tuổi (dưới 18 / từ 18)", ["PCMT_NHOM_TUOI"]),
    ("sex_age", "Theo giới tính và nhóm tuổi (dưới 18 / từ 18), từng nhóm riêng", ["PCMT_GIOI_TINH", "PCMT_NHOM_TUOI"]),
    (
        "age_bands",
        "Theo nhóm tuổi thống kê (dưới 14, 14–16, 16–18, 18–30, từ 30)",
        ["PCMT_NHOM_TUOI_TK"],
    ),
]


def seed(apps, schema_editor):
    Category = apps.get_model("reporting", "Category")
    CategoryOption = apps.get_model("reporting", "CategoryOption")
    CategoryCombo = apps.get_model("reporting", "CategoryCombo")
    ComboCategory = apps.get_model("reporting", "ComboCategory")
    DataElement = apps.get_model("reporting", "DataElement")
    options = {}
    categories = {}
    for code, name, suffix, opts in CATEGORIES:
        category = Category.objects.create(code=code, name=name, dhis2_suffix=suffix)
        categories[code] = category
        for order, (ocode, oname) in enumerate(opts, start=1):
            CategoryOption.objects.create(category=category, code=ocode, name=oname, order=order)
        options[code] = [[ocode, oname, code] for ocode, oname in opts]
    combos = {}
    for code, name, cats in COMBOS:
        combo = CategoryCombo.objects.create(code=code, name=name, option_list=[o for c in cats for o in options[c]])
        for order, c in enumerate(cats, start=1):
            ComboCategory.objects.create(combo=combo, category=categories[c], order=order)
        combos[code] = combo
    for element in DataElement.objects.exclude(disaggregation=""):
        element.category_combo = combos[element.disaggregation]
        element.save(update_fields=["category_combo"])


def unseed(apps, schema_editor):
    DataElement = apps.get_model("reporting", "DataElement")
    for element in DataElement.objects.exclude(category_combo=None).select_related("category_combo"):
        element.disaggregation = element.category_combo.code
        element.category_combo = None
        element.save(update_fields=["disaggregation", "category_combo"])
    for model in ("ComboCategory", "CategoryCombo", "CategoryOption", "Category"):
        apps.get_model("reporting", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0007_category_combos")]

    operations = [migrations.RunPython(seed, unseed)]
