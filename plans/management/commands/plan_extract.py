"""`python manage.py plan_extract FILE --json`: the plan extractor from the management shell."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from plans.extractor.cli import main


class Command(BaseCommand):
    help = "Đọc một kế hoạch (.txt, .md, .docx, .pdf có lớp văn bản) và in cấu trúc plan-extract/1."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp kế hoạch")
        parser.add_argument("--json", action="store_true", help="In JSON plan-extract/1")

    def handle(self, *args, **options):
        argv = [options["file"], *(["--json"] if options["json"] else [])]
        code = main(argv, stdout=self.stdout._out, stderr=self.stderr._out)
        if code:
            raise CommandError("Không đọc được tệp kế hoạch.", returncode=code)
