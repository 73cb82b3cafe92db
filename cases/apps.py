from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Hồ sơ người sử dụng trái phép chất ma túy"
    default_auto_field = "django.db.models.BigAutoField"
