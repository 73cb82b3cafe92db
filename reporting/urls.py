"""Periodic reporting pages, mounted at /bao-cao/."""

from django.urls import path

from reporting import views, views_design, views_review, views_schedules

app_name = "reporting"

urlpatterns = [
    path("can-nop/", views.due_list, name="due"),
    path("can-nop/mo/", views.open_period, name="open"),
    path("so-lieu/<int:pk>/", views.submission_detail, name="submission"),
    path("so-lieu/<int:pk>/luu-tu-dong/", views.autosave, name="autosave"),
    path("so-lieu/<int:pk>/lich-su/", views.submission_history, name="history"),
    path("so-lieu/<int:pk>/duyet/", views_review.approve, name="approve"),
    path("so-lieu/<int:pk>/tra-lai/", views_review.return_submission, name="return"),
    path("so-lieu/<int:pk>/mo-khoa/", views_review.unlock, name="unlock"),
    path("hop-thu/", views_review.inbox, name="inbox"),
    path("tinh-hinh-nop/", views_review.completeness, name="completeness"),
    path("tinh-hinh-nop/nhac/", views_review.remind, name="remind"),
    path("tinh-hinh-nop/duyet-loat/", views_review.approve_batch, name="approve_batch"),
    path("lich/", views_schedules.schedule_list, name="schedules"),
    path("lich/them/", views_schedules.schedule_create, name="schedule_create"),
    path("lich/<int:pk>/sua/", views_schedules.schedule_edit, name="schedule_edit"),
    path("lich/<int:pk>/mo-khoa/", views_schedules.lock_exceptions, name="lock_exceptions"),
    path("lich/tu-ke-hoach/", views_schedules.plan_duties, name="plan_duties"),
    path("lich/tu-ke-hoach/<int:plan_pk>/", views_schedules.schedules_from_plan, name="schedules_from_plan"),
    path(
        "lich/tu-ke-hoach/<int:plan_pk>/xem-truoc/",
        views_schedules.schedules_from_plan_preview,
        name="schedules_from_plan_preview",
    ),
    path("thiet-ke/", views_design.design_index, name="design"),
    path("thiet-ke/chi-tieu/them/", views_design.element_edit, name="design_element_create"),
    path("thiet-ke/chi-tieu/<int:pk>/sua/", views_design.element_edit, name="design_element"),
    path("thiet-ke/chi-tieu/<int:pk>/thao-tac/", views_design.element_action, name="design_element_action"),
    path("thiet-ke/phan-to/them/", views_design.combo_create, name="design_combo_create"),
    path("thiet-ke/phan-to/<int:pk>/sua/", views_design.combo_edit, name="design_combo"),
    path("thiet-ke/bieu-mau/them/", views_design.form_create, name="design_form_create"),
    path("thiet-ke/bieu-mau/<int:pk>/", views_design.form_edit, name="design_form"),
    path("thiet-ke/bieu-mau/<int:pk>/sao-chep/", views_design.form_copy, name="design_form_copy"),
    path("thiet-ke/bieu-mau/<int:pk>/kiem-tra-quy-tac/", views_design.rule_check, name="design_rule_check"),
    path("bieu-mau/", views.form_list, name="forms"),
    path("bieu-mau/<str:code>/", views.form_detail, name="form_detail"),
]
