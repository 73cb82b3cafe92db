from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Công việc chạy nền"

    def ready(self) -> None:
        # Each app declares its job kinds in <app>/jobs.py (jobs.registry.register).
        autodiscover_modules("jobs")
