from django.urls import path

from legal import views

app_name = "legal"

urlpatterns = [
    path("quy-tac/", views.ruleset_list, name="rulesets"),
    path("quy-tac/<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("quy-tac/<int:pk>/sua/", views.ruleset_edit, name="ruleset_edit"),
    path("quy-tac/<int:pk>/phien-ban-moi/", views.ruleset_create, name="ruleset_create"),
    path("ngay-nghi/", views.holiday_list, name="holidays"),
    path("ngay-nghi/<int:pk>/sua/", views.holiday_edit, name="holiday_edit"),
    path("ngay-nghi/<int:pk>/xoa/", views.holiday_delete, name="holiday_delete"),
]
