from django.urls import path

from geo import views

app_name = "geo"

urlpatterns = [
    path("", views.commune_list, name="communes"),
    path("nhap-nhan-khau/", views.population_import, name="population_import"),
    path("<str:code>/", views.commune_detail, name="commune_detail"),
]
