from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_migrate


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from reporting.legacy import move_old_narratives_aside

        # Once per `migrate` (sender=self): see reporting/legacy.py.
        pre_migrate.connect(move_old_narratives_aside, sender=self, dispatch_uid="reporting-legacy-narratives")

        # Elements kept in memory (reporting.services.versions.elements_of) are read again after
        # any write of an element or of a combination (its options, names and groups).
        from reporting.models import CategoryCombo, DataElement
        from reporting.services.versions import catalogue_changed

        for model in (DataElement, CategoryCombo):
            for signal in (post_save, post_delete):
                signal.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-changed-{model.__name__}")
