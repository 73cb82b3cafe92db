from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/mo/", views.notification_open, name="open"),
]
