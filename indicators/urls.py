"""Indicator attainment and targets (mounted at /chi-tieu/)."""

from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<str:province>/", views.province_view, name="province"),
    path("toan-quoc/", views.nation_view, name="nation"),
    path("muc-tieu/", views.targets, name="targets"),
    path("muc-tieu/luu/", views.target_set, name="target_set"),
    path("muc-tieu/<int:pk>/xoa/", views.target_delete, name="target_delete"),
]
