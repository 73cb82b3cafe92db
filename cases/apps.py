from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Hồ sơ người sử dụng trái phép chất ma túy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The registry fills the cells of the commune report it counts (issue 13 §2).
        from cases.services import report_figures
        from reporting.services import prefill

        prefill.register(report_figures)
