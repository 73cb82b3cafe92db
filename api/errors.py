"""Errors of the API as JSON with Vietnamese messages: 401, 403, 404, 409, 422."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

MESSAGES = {
    "missing": "Thiếu trường bắt buộc.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "string_too_short": "Không được để trống.",
    "string_too_long": "Quá dài (tối đa {max_length} ký tự).",
    "string_type": "Phải là chuỗi ký tự.",
    "date_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_from_datetime_inexact": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_type": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "literal_error": "Giá trị không hợp lệ; chọn một trong: {expected}.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "model_attributes_type": "Nội dung phải là một đối tượng JSON.",
    "dict_type": "Nội dung phải là một đối tượng JSON.",
    "bool_parsing": "Phải là true hoặc false.",
    "bool_type": "Phải là true hoặc false.",
}


def vietnamese(error: dict[str, Any]) -> str:
    template = MESSAGES.get(error.get("type", ""), "Giá trị không hợp lệ.")
    ctx = {k: str(v).replace(" or ", " hoặc ") for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def validation_items(error: DjangoValidationError, prefix: list[str]) -> list[dict[str, Any]]:
    """A Django ValidationError (service or form) as 422 items, one per message."""
    if hasattr(error, "error_dict"):
        return [
            {"loc": [*prefix, name] if name != "__all__" else prefix, "msg": m, "type": "value_error"}
            for name, errs in error.error_dict.items()
            for e in errs
            for m in e.messages
        ]
    return [{"loc": prefix, "msg": m, "type": "value_error"} for m in error.messages]


def install(api: NinjaAPI) -> None:
    def _json(request: HttpRequest, data: Any, status: int) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": vietnamese(e), "type": e.get("type", "value_error")}
            for e in exc.errors
        ]
        return _json(request, {"detail": items}, 422)

    @api.exception_handler(DjangoValidationError)
    def _service_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return _json(request, {"detail": validation_items(exc, ["body", "payload"])}, 422)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 403 and "CSRF" in message:
            message = "Yêu cầu ghi cần mã CSRF hợp lệ (tiêu đề X-CSRFToken)."
        return _json(request, {"detail": message}, exc.status_code)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(request, {"detail": "Bạn cần đăng nhập (phiên làm việc) để dùng API."}, 401)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _json(request, {"detail": str(exc) or "Bạn không có quyền thực hiện thao tác này."}, 403)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(request, {"detail": "Không tìm thấy (hoặc ngoài phạm vi của bạn)."}, 404)
