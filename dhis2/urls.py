"""DHIS2 exchange (mounted at /dhis2/)."""

from django.urls import path

from dhis2 import views

app_name = "dhis2"
urlpatterns = [
    path("", views.index, name="index"),
    path("sieu-du-lieu.json", views.metadata, name="metadata"),
    path("sieu-du-lieu/<str:province>.json", views.metadata, name="metadata_province"),
    path("nhap/", views.import_values, name="import"),
    path("doi-chieu/", views.read_mapping, name="mapping"),
]
