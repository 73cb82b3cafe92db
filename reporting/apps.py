from django.apps import AppConfig
from django.db.models.signals import pre_migrate


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from reporting.legacy import move_old_narratives_aside

        # Once per `migrate` (sender=self): see reporting/legacy.py.
        pre_migrate.connect(move_old_narratives_aside, sender=self, dispatch_uid="reporting-legacy-narratives")
