from django.urls import path

from areas import views, views_province

app_name = "areas"

urlpatterns = [
    path("", views.index, name="index"),
    path("toan-quoc/", views_province.nation, name="nation"),
    path("tinh/<str:code>/", views_province.province_table, name="province"),
    path("tinh/<str:code>/xlsx/", views_province.province_xlsx, name="province_xlsx"),
    path("tinh/<str:code>/che-do-doc/", views_province.literal_bands, name="literal_bands"),
    path("tinh/<str:code>/lo-trinh/", views_province.roadmap, name="roadmap"),
    path("tinh/<str:code>/lo-trinh/dang-ky/", views_province.register_year, name="register_year"),
    path("tinh/<str:code>/tu-danh-gia/", views_province.province_assessment, name="province_assessment"),
    path("tu-danh-gia-tinh/<int:pk>/chot/", views_province.province_finalize, name="province_finalize"),
    path("tu-danh-gia-tinh/<int:pk>/mo-lai/", views_province.province_reopen, name="province_reopen"),
    path("xa/<str:code>/", views.commune_profile, name="commune"),
    path("xa/<str:code>/xep-loai-cu/", views.historical, name="historical"),
    path("xa/<str:code>/<int:year>/tu-danh-gia/", views.self_assessment, name="self_assessment"),
    path("xa/<str:code>/<int:year>/xem-truoc/", views.preview, name="preview"),
    path("ho-so/<int:pk>/gui/", views.submit, name="submit"),
    path("ho-so/<int:pk>/tra-lai/", views.return_view, name="return"),
    path("ho-so/<int:pk>/trinh/", views.forward, name="forward"),
    path("ho-so/<int:pk>/phe-duyet/", views.approve, name="approve"),
]
