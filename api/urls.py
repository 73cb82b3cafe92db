"""The JSON API (django-ninja): /api/openapi.json, /api/docs, plans and tasks.

Personal access tokens (`accounts.tokens`) or the session with CSRF for writes; exactly the permissions of the pages (the same
role sets, `for_user` querysets and services). Imported from the URL configuration only, so
ninja loads after the settings.
"""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from access.api_auth import AUTH
from access.decorators import login_only
from api import errors
from api.plans import router as plans_router
from api.tasks import router as tasks_router
from dhis2.api import router as dhis2_router
from reporting.api import router as reporting_router

api = NinjaAPI(
    title="PCMT API",
    version="1",
    description="Kế hoạch, nhiệm vụ và báo cáo của Chương trình MTQG phòng, chống ma túy. Xác thực bằng mã truy cập "
    "cá nhân (tiêu đề Authorization: ApiToken pcmt_…, tạo ở trang Mã truy cập API) hoặc bằng phiên đăng nhập; "
    "với phiên đăng nhập, yêu cầu ghi cần mã CSRF (tiêu đề X-CSRFToken).",
    urls_namespace="api",
    auth=AUTH,
    docs_decorator=login_only,
)
errors.install(api)
api.add_router("/plans", plans_router)
api.add_router("/tasks", tasks_router)
api.add_router("/reporting", reporting_router)
api.add_router("/dhis2", dhis2_router)

urlpatterns = [path("", api.urls)]
