from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("them/", views.person_create, name="create"),
    path("xuat/", views.export, name="export"),
    path("nhap/", views.import_upload, name="import"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/quyet-dinh/", views.decision_add, name="decision_add"),
    path("<int:pk>/ho-tro/", views.intervention_add, name="intervention_add"),
    path("<int:pk>/yeu-cau/", views.request_add, name="request_add"),
    path("<int:pk>/nguoi-than/", views.relative_add, name="relative_add"),
    path("<int:pk>/chuyen/", views.transfer_request, name="transfer_request"),
    path("chuyen/<int:pk>/tiep-nhan/", views.transfer_accept, name="transfer_accept"),
    path("yeu-cau/<int:pk>/tra-loi/", views.request_answer, name="request_answer"),
    path("trung-lap/", views.duplicates, name="duplicates"),
    path("trung-lap/gop/", views.merge, name="merge"),
    path("canh-bao/", views.alert_list, name="alerts"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/mo/", views.open_record, name="open"),
    path("so-lieu/", views.figures_page, name="figures"),
    path("nhat-ky/", views.access_log, name="access_log"),
    path("gia-han-vai-tro/", views.renewals_page, name="renewals"),
    path("gia-han-vai-tro/<int:pk>/de-nghi/", views.renewal_request, name="renewal_request"),
    path("gia-han-vai-tro/de-nghi/<int:pk>/duyet/", views.renewal_approve, name="renewal_approve"),
]
