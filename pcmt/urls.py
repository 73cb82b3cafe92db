from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path
from django.views.generic import RedirectView

from access.policy import can
from pcmt.health import healthz

admin.site.site_header = "PCMT — Quản trị hệ thống"
admin.site.site_title = "PCMT"
admin.site.index_title = "Quản trị"


def _admin_site_permission(request: HttpRequest) -> bool:
    """The admin site follows the feature table like every page (`admin.site`)."""
    return bool(request.user.is_active and can(request.user, "admin.site"))


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("dashboard.urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("xa-phuong/", include("geo.urls")),
    path("co-quan/", include("agencies.urls")),
    path("chuong-trinh/", include("program.urls")),
    path("thong-bao/", include("notices.urls")),
    path("ke-hoach/", include("plans.urls")),
    path("bao-cao/", include("reporting.urls")),
    path("tong-hop/", include("reporting.urls_consolidation")),
    path("chi-tieu/", include("indicators.urls")),
    path("dia-ban/", include("areas.urls")),
    path("phap-ly/", include("legal.urls")),
    path("ho-so/", include("cases.urls")),
    path("api/", include("api.urls")),
    path("cong-viec/", include("jobs.urls")),
    # The admin signs in through PCMT's own login (lockout, second factor), never its own form.
    path("quan-tri/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("quan-tri/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
