from django.apps import AppConfig


class Dhis2Config(AppConfig):
    name = "dhis2"
    verbose_name = "Trao đổi với DHIS2"
