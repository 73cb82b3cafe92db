from django.contrib.auth import views as auth_views
from django.urls import path

from access.decorators import public
from accounts import views, views_tokens, views_twofactor

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("xac-thuc/", views_twofactor.verify_step, name="otp_verify"),
    path("xac-thuc-hai-buoc/", views_twofactor.setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/tat/", views_twofactor.disable_own, name="otp_disable"),
    path("nguoi-dung/<int:pk>/huy-xac-thuc/", views_twofactor.reset_for_user, name="otp_reset"),
    path("ma-truy-cap/", views_tokens.token_list, name="tokens"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", views_tokens.token_revoke, name="token_revoke"),
    path("nguoi-dung/", views.user_list, name="users"),
    path("nguoi-dung/them/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user_detail"),
    path("nguoi-dung/<int:pk>/trang-thai/", views.user_set_active, name="user_set_active"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.user_unlock, name="user_unlock"),
    path("nguoi-dung/<int:pk>/vai-tro/<int:assignment_id>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("phan-quyen-cho-duyet/", views.grants_pending, name="grants_pending"),
    path("phan-quyen-cho-duyet/<int:pk>/duyet/", views.grant_approve, name="grant_approve"),
]
