"""The feature table as Markdown: the README's roles section is this text (checked by a test)."""

from __future__ import annotations

from access.features import FEATURES
from access.roles import ALLOWED_SCOPES, Role, ScopeKind

BEGIN, END = "<!-- access-matrix:begin (manage.py access_matrix) -->", "<!-- access-matrix:end -->"
SHORT = {
    Role.STANDING_OFFICE: "TT",
    Role.AGENCY_OFFICER: "Sở",
    Role.COMMUNE_OFFICER: "Xã",
    Role.CASE_OFFICER: "HS",
    Role.LEADER: "LĐ",
    Role.NATIONAL_VIEWER: "C04",
    Role.ADMIN: "QT",
}


def markdown() -> str:
    roles = list(Role)
    lines = [
        BEGIN,
        "| vai trò | viết tắt | giao theo phạm vi |",
        "|---|---|---|",
        *(
            f"| {r.label} | {SHORT[r]} | {', '.join(ScopeKind(s).label.lower() for s in ALLOWED_SCOPES[r])} |"
            for r in roles
        ),
        "",
        "| tính năng | nội dung | " + " | ".join(SHORT[r] for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for f in FEATURES.values():
        marks = " | ".join("✓" if r in f.roles else "" for r in roles)
        label = f.label + (" *(dữ liệu cá nhân)*" if f.personal else "")
        lines.append(f"| `{f.key}` | {label} | {marks} |")
    lines.append(END)
    return "\n".join(lines)
