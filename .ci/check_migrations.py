#!/usr/bin/env python3
"""Fail when a migration that was ever committed has changed or disappeared since (issue 12).

A migration is compared with the version of the first commit that added it. The one edit made
before this check existed is accepted by the blob recorded in ACCEPTED (its broken upgrade path
is repaired by reporting/legacy.py). Run from the repository: `python3 .ci/check_migrations.py`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PATTERN = "*/migrations/0*.py"
# path → blob of the edited version that is accepted (reviewed), with the reason.
ACCEPTED = {
    "indicators/migrations/0001_initial.py": (
        "cf034e8",
        "ReportNarrative moved to reporting in e17a276; old databases repaired by reporting/legacy.py",
    ),
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def problems(root: Path, accepted: dict[str, tuple[str, str]] | None = None) -> list[str]:
    accepted = ACCEPTED if accepted is None else accepted
    found: list[str] = []
    # Every migration path that was ever added, with the first commit that added it.
    log = git(root, "log", "--reverse", "--diff-filter=A", "--format=@%H", "--name-only", "HEAD", "--", PATTERN)
    first: dict[str, str] = {}
    commit = ""
    for line in log.splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line.strip():
            first.setdefault(line.strip(), commit)
    for path, commit in sorted(first.items()):
        original = git(root, "rev-parse", f"{commit}:{path}").strip()
        file = root / path
        if not file.exists():
            found.append(f"{path}: đã bị xóa (có từ commit {commit[:10]})")
            continue
        now = git(root, "hash-object", str(file)).strip()
        if now == original:
            continue
        ok = accepted.get(path)
        if ok and now.startswith(ok[0]):
            continue
        found.append(f"{path}: đã bị sửa so với commit {commit[:10]} đầu tiên có tệp này; hãy thêm migration mới")
    return found


def main() -> int:
    root = Path(git(Path.cwd(), "rev-parse", "--show-toplevel").strip())
    if git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
        subprocess.run(["git", "fetch", "--quiet", "--unshallow"], cwd=root, check=False)
        if git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
            print("Bản sao nông (shallow): không có lịch sử để kiểm tra migration.", file=sys.stderr)
            return 1
    found = problems(root)
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print("Migrations: không tệp nào đã có trên main bị sửa hay xóa.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
