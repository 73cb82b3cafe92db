from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province, its personas and content (make run, tests, benchmarks). Top layer: it
    builds state through every other app's services; nothing imports it but tests and benches."""

    name = "demo"
    verbose_name = "Dữ liệu minh họa"
