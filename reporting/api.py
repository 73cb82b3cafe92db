"""JSON API of data exchange: a django-ninja `Router` named `router` (the project's NinjaAPI mounts
it, e.g. `api.add_router("/reporting/", reporting.api.router)`).

- GET  `/data-values`: values the user may see, as DHIS2 `dataValueSets` JSON (or CSV with
  `format=csv`); filters `form` (code), `period`, `kind` (report kind), `province`,
  `include_submitted`.
- GET  `/totals`: a province's (or the nation's) consolidated totals of one form, report kind and
  period, with their coverage ("1/102 xã có số liệu đã duyệt"). Counts of people of 1–4 resting
  on one unit (and the cell that would give them away) read "<5" / "x" for users who do not
  review the province's units, as on the pages (`reporting.services.suppression`); so do a
  unit's values in `/data-values` for a leader.
- POST `/data-values`: import a `dataValueSets` JSON body (or CSV with `Content-Type: text/csv`).
  DHIS2's parameters are honoured or refused, never ignored: `dryRun=true` (also `dry_run`)
  reports what would change and writes nothing; `importStrategy` CREATE_AND_UPDATE / CREATE /
  UPDATE (DELETE refused); `idScheme` (and the per-object schemes) CODE only. PCMT's `status`:
  submitted (default) or draft, never approved. Any other parameter: 400 naming it.
  400 with the row-level Vietnamese error report when anything is wrong (nothing is written).

A personal access token or the session with CSRF (as the pages); same permissions as the pages: reading for the
Standing Office and leaders (`exchange.export`); importing for the Standing Office of the units'
province. ninja is imported only here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from access.decorators import api_feature
from access.policy import can
from geo.models import Province
from reporting.models import Form
from reporting.periods import KINDS, PeriodError, parse
from reporting.services import exchange


class DataValueOut(Schema):
    dataElement: str  # noqa: N815 - DHIS2 field names
    period: str
    orgUnit: str  # noqa: N815
    categoryOptionCombo: str  # noqa: N815
    value: str
    comment: str | None = None
    kind: str | None = None  # PCMT: a one-off report (its period id is also the annual report's)


class DataValueSetOut(Schema):
    dataValues: list[DataValueOut]  # noqa: N815


class CoverageOut(Schema):
    reported: int
    approved: int
    expected: int
    level: str
    label: str


class TotalOut(Schema):
    dataElement: str  # noqa: N815 - DHIS2 field names
    name: str
    categoryOptionCombo: str  # noqa: N815
    value: str | None  # canonical notation ("1234.5"); null: no data; "<5" / "x": a small count of people masked
    previous: str | None
    lastYear: str | None  # noqa: N815
    note: str  # where the official figure comes from, when not from this form's level


class TotalsOut(Schema):
    form: str
    period: str
    kind: str
    kindLabel: str  # noqa: N815
    province: str | None
    includeSubmitted: bool  # noqa: N815
    asOf: str | None  # noqa: N815
    coverage: CoverageOut
    enoughData: bool  # noqa: N815 - the coverage reaches 80 % of the expected units
    totals: list[TotalOut]


class RowErrorOut(Schema):
    row: int
    message: str


class ImportOut(Schema):
    ok: bool
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    ignored: int
    submissions_created: int
    notation: str
    errors: list[RowErrorOut]


_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "dataValues": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["dataElement", "period", "orgUnit", "value"],
                                "properties": {k: {"type": "string"} for k in exchange.COLUMNS},
                            },
                        }
                    },
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
        "required": True,
    },
}


def _query(name: str, description: str, enum: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"} | ({"enum": enum} if enum else {})
    return {"in": "query", "name": name, "required": False, "description": description, "schema": schema}


_PARAMETERS = {
    "parameters": [
        _query("dryRun", "true: chạy thử, không lưu gì", ["true", "false"]),
        _query("dry_run", "như dryRun (tên cũ của PCMT)", ["true", "false"]),
        _query("importStrategy", "CREATE_AND_UPDATE (mặc định), CREATE, UPDATE", list(exchange.STRATEGIES)),
        _query("idScheme", "chỉ CODE", ["CODE"]),
        _query("status", "trạng thái báo cáo sau khi nhập", ["submitted", "draft"]),
    ]
}


def build_router() -> Router:
    """A fresh router (tests mount their own; the project mounts `router`)."""
    from access.api_auth import AUTH

    router = Router(auth=AUTH, tags=["Trao đổi dữ liệu"])

    @router.get(
        "/data-values",
        response=DataValueSetOut,
        exclude_none=True,
        url_name="reporting_data_values_export",
        summary="Xuất giá trị (DHIS2 dataValueSets hoặc CSV)",
    )
    @api_feature("exchange.export")  # unit-level raw values (free text included) stay in the province
    def export_values(
        request: HttpRequest,
        form: str = "",
        period: str = "",
        province: str = "",
        include_submitted: bool = False,
        format: str = "json",  # noqa: A002 - the public parameter name
        kind: str = "",
    ) -> Any:
        if province and not Province.objects.for_user(request.user, "exchange.export").filter(code=province).exists():
            raise HttpError(404, "Không tìm thấy tỉnh.")
        chosen = None
        if form:
            chosen = Form.objects.for_user(request.user).filter(code=form).first()
            if chosen is None:
                raise HttpError(404, f"Không có biểu mẫu «{form}».")
        if period:
            try:
                parse(period)
            except PeriodError as exc:
                raise HttpError(400, str(exc)) from exc
        if kind and kind not in KINDS:
            raise HttpError(400, f"Loại báo cáo «{kind}» không có ({', '.join(KINDS)}).")
        rows = exchange.export_values(
            user=request.user,
            form=chosen,
            period=period,
            province=province,
            include_submitted=include_submitted,
            kind=kind,
        )
        if format == "csv":
            return HttpResponse(exchange.to_csv(rows), content_type="text/csv; charset=utf-8")
        return exchange.to_json(rows)

    @router.get(
        "/totals",
        response=TotalsOut,
        url_name="reporting_totals",
        summary="Số liệu tổng hợp của tỉnh hoặc toàn quốc, kèm loại báo cáo và độ phủ",
    )
    @api_feature("consolidation.read")
    def totals(
        request: HttpRequest,
        form: str = "",
        period: str = "",
        kind: str = "",
        province: str = "",
        include_submitted: bool = False,
    ) -> Any:
        """Totals of one form (default: the commune form), report kind and period (default: the
        newest with data) — a province's, or (without `province`) the nation's for national users —
        with the coverage they rest on ("1/102 xã có số liệu đã duyệt")."""
        from reporting.services import consolidation, suppression

        forms = Form.objects.for_user(request.user).filter(is_active=True).order_by("-level", "code")
        chosen = forms.filter(code=form).first() if form else forms.first()
        if chosen is None:
            raise HttpError(404, f"Không có biểu mẫu «{form}».")
        if not period:
            newest = consolidation.available(form=chosen, province=None)
            period, kind = newest[0][1] if newest else "", kind or (newest[0][0] if newest else "")
            if not period:
                raise HttpError(404, "Chưa có số liệu của biểu mẫu này; hãy ghi kỳ (period).")
        try:
            p = parse(period)
        except PeriodError as exc:
            raise HttpError(400, str(exc)) from exc
        if kind and (kind not in KINDS or (kind != "once" and kind != p.frequency)):
            raise HttpError(400, f"Loại báo cáo «{kind}» không hợp với kỳ «{period}».")
        if province:
            prov = Province.objects.for_user(request.user, "consolidation.read").filter(code=province).first()
            if prov is None:
                raise HttpError(404, "Không tìm thấy tỉnh.")
            report = consolidation.province_report(
                form=chosen, period=p, province=prov, include_submitted=include_submitted, kind=kind or None
            )
        else:
            if not can(request.user, "consolidation.nation"):
                raise HttpError(403, "Chỉ người dùng cấp toàn quốc xem được số liệu toàn quốc; hãy chọn tỉnh.")
            report = consolidation.nation_report(
                form=chosen, period=p, include_submitted=include_submitted, kind=kind or None
            )

        # Small counts of people masked ("<5", "x") for whoever does not review the units.
        suppression.apply(report, reveal=suppression.reveals(request.user, province or None))

        def number(total: Any) -> str | None:
            if total.masked:
                return str(total.masked)
            return None if total.value is None else exchange.format_value(total.value)

        c = report.coverage
        return {
            "form": chosen.code,
            "period": p.id,
            "kind": report.kind,
            "kindLabel": report.kind_label,
            "province": province or None,
            "includeSubmitted": include_submitted,
            "asOf": report.as_of.isoformat() if report.as_of else None,
            "coverage": {
                "reported": c.reported,
                "approved": c.approved,
                "expected": c.expected,
                "level": c.level,
                "label": c.label,
            },
            "enoughData": c.enough(),
            "totals": [
                {
                    "dataElement": r.element.code,
                    "name": r.element.name,
                    "categoryOptionCombo": r.category or exchange.DEFAULT_COC,
                    "value": number(r.current),
                    "previous": number(r.previous),
                    "lastYear": number(r.last_year),
                    "note": r.note,
                }
                for r in report.rows
            ],
        }

    @router.post(
        "/data-values",
        response={200: ImportOut, 400: ImportOut},
        url_name="reporting_data_values_import",
        summary="Nhập giá trị (tất cả hoặc không; dry_run để chạy thử)",
        openapi_extra=_BODY | _PARAMETERS,
    )
    @api_feature("exchange.import")
    def import_values(request: HttpRequest) -> Any:
        params, problems = exchange.check_parameters(dict(request.GET.items()))
        if problems:
            refused = exchange.ImportResult(errors=[exchange.RowError(0, p) for p in problems])
            return Status(400, refused.as_dict())
        if request.content_type == "text/csv":
            rows, errors = exchange.read_csv(request.body)
        else:
            rows, errors = exchange.read_json(request.body)
        result = exchange.import_values(
            acting_user=request.user,
            rows=rows,
            errors=errors,
            status=params["status"],
            dry_run=params["dry_run"],
            strategy=params["strategy"],
        )
        return Status(200 if result.ok else 400, result.as_dict())

    return router


router = build_router()
