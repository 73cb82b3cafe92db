"""The period's report as one document (mounted at /bao-cao-chung/)."""

from django.urls import path, re_path

from periodreport import views

app_name = "periodreport"
urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<str:province>/", views.province_report, name="province"),
    re_path(r"^tinh/(?P<province>\w+)/tai-ve\.(?P<fmt>xlsx|docx)$", views.province_export, name="province_export"),
    path("toan-quoc/", views.nation_report, name="nation"),
    re_path(r"^toan-quoc/tai-ve\.(?P<fmt>xlsx|docx)$", views.nation_export, name="nation_export"),
]
