from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("hang-doi/duyet/<int:pk>/", views.approve, name="approve"),
    path("ban-do/", views.nation_map, name="nation_map"),
    path("ban-do/<str:code>/", views.province_map, name="province_map"),
]
