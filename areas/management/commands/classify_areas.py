"""``manage.py classify_areas --jsonl [--literal-bands]``: classify communes/provinces under
QĐ 28/2025/QĐ-TTg, reading JSON lines on stdin and writing JSON lines on stdout.

The contract lives in ``areas.jsonl.run_jsonl``; this command only wires the streams.
"""

from __future__ import annotations

import io
import sys
from typing import ClassVar

from django.core.management.base import BaseCommand, CommandError

from areas.jsonl import run_jsonl


class Command(BaseCommand):
    help = (
        "Xếp loại địa bàn theo QĐ 28/2025/QĐ-TTg: đọc từng dòng JSON từ stdin (xã, phường, đặc khu "
        'hoặc "level": "province"), ghi kết quả từng dòng JSON ra stdout.'
    )
    # Lets call_command("classify_areas", "--jsonl", stdin=...) pass an input stream.
    stealth_options = ("stdin",)
    # Pure computation: no models, no database, so no system checks needed.
    requires_system_checks: ClassVar[list[str]] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help="Đọc/ghi theo định dạng JSON Lines (một đối tượng JSON mỗi dòng).",
        )
        parser.add_argument(
            "--literal-bands",
            action="store_true",
            help=(
                "Đọc nguyên văn khoảng của tiêu chí a, b, c, d loại II (mặc định: tính lũy tiến, "
                "đạt mức loại I thì cũng đạt mức loại II)."
            ),
        )

    def handle(self, *args, **options):
        if not options["jsonl"]:
            raise CommandError("Cần chỉ định --jsonl (hiện chỉ hỗ trợ định dạng JSON Lines).")
        in_stream = options.get("stdin")
        if in_stream is None:
            buffer = getattr(sys.stdin, "buffer", None)
            in_stream = io.TextIOWrapper(buffer, encoding="utf-8") if buffer else sys.stdin
        out = getattr(self.stdout, "_out", None)
        if out is sys.stdout and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        errors = run_jsonl(in_stream, self.stdout, literal_bands=options["literal_bands"])
        if errors:
            self.stderr.write(f'Có {errors} dòng lỗi (xem trường "error" trong kết quả).')
