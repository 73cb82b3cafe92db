from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("them/", views.agency_create, name="create"),
    path("<int:pk>/sua/", views.agency_edit, name="edit"),
]
