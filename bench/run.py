"""`make bench`: run every benchmark script, each in its own process (a fresh database each)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_foundation.py", "bench_extractor.py", "bench_areas.py"]


def main() -> int:
    scripts = [HERE / name for name in ORDER if (HERE / name).exists()]
    scripts += sorted(s for s in HERE.glob("bench_*.py") if s.name not in ORDER)
    failed = 0
    for script in scripts:
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=None)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
