"""Consolidated reports, their exports and narrative, and data exchange (mounted at /tong-hop/)."""

from django.urls import path, re_path

from reporting import views_consolidation as views

app_name = "consolidation"
urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<str:province>/", views.province_report, name="province"),
    path("tinh/<str:province>/noi-dung/", views.narrative, name="narrative"),
    re_path(r"^tinh/(?P<province>\w+)/tai-ve\.(?P<fmt>xlsx|docx)$", views.province_export, name="province_export"),
    path("toan-quoc/", views.nation_report, name="nation"),
    re_path(r"^toan-quoc/tai-ve\.(?P<fmt>xlsx|docx)$", views.nation_export, name="nation_export"),
    path("trao-doi/nhap/", views.exchange_import, name="exchange_import"),
    path("trao-doi/xuat/", views.exchange_export, name="exchange_export"),
]
