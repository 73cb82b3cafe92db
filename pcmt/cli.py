"""The `pcmt` console script: `pcmt plan extract FILE [--json]`."""

from __future__ import annotations

import sys

USAGE = "Cách dùng: pcmt plan extract TỆP [--json]"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["plan", "extract"]:
        from plans.extractor.cli import main as extract_main

        return extract_main(args[2:])
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
