from pathlib import Path

from django.conf import settings

from access.features import FEATURES
from access.matrix import BEGIN, END, markdown


def test_the_readme_roles_table_is_the_feature_table():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert BEGIN in readme and END in readme, "README thiếu bảng phân quyền"
    current = readme[readme.index(BEGIN) : readme.index(END) + len(END)]
    assert current == markdown(), "README lệch bảng tính năng: chạy `manage.py access_matrix` và dán lại"


def test_every_feature_is_a_row():
    table = markdown()
    assert all(f"`{key}`" in table for key in FEATURES)
