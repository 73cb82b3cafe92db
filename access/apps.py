from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who may do what: roles, scopes and the feature table. No models; imports no other app."""

    name = "access"
    verbose_name = "Phân quyền"
