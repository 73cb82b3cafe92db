"""DHIS2's own endpoints over PCMT's data, as a DHIS2 client calls them (django-ninja router
`router`, mounted at /api/dhis2/):

- GET  `/metadata`: the metadata package (`province`: one province's; else the nation's);
- GET  `/dataValueSets`: values as DHIS2 writes them (`dataSet`, `period`, `orgUnit` filters;
  `idScheme`, `dataElementIdScheme`, `orgUnitIdScheme`, `categoryOptionComboIdScheme` UID/CODE/NAME;
  `format=csv` for DHIS2's CSV layout);
- POST `/dataValueSets`: import JSON or CSV (`Content-Type: text/csv`) with `dryRun`,
  `importStrategy`, the id schemes and `atomicMode` (ALL, PCMT's default; NONE, DHIS2's partial
  import); the answer is DHIS2's import summary (200 when something could be imported, 409 when
  nothing was, as DHIS2 answers a conflict).

The same personal access tokens and permissions as every PCMT API (`exchange.export`/`exchange.import`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router, Status
from ninja.errors import HttpError

from access.decorators import api_feature
from dhis2 import services
from dhis2.metadata import Catalogue
from geo.models import Province
from reporting.models import Form
from reporting.periods import PeriodError, parse

_EXPORT_PARAMS = {"idScheme", "dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme"}


def build_router() -> Router:
    from access.api_auth import AUTH

    router = Router(auth=AUTH, tags=["DHIS2"])

    @router.get("/metadata", url_name="dhis2_metadata", summary="Gói siêu dữ liệu DHIS2 của PCMT")
    @api_feature("catalogue.read")
    def metadata(request: HttpRequest, province: str = "") -> Any:
        chosen = None
        if province:
            chosen = Province.objects.for_user(request.user, "catalogue.read").filter(code=province).first()
            if chosen is None:
                raise HttpError(404, "Không tìm thấy tỉnh.")
        return Catalogue(chosen).package()

    @router.get("/dataValueSets", url_name="dhis2_data_value_sets_export", summary="Xuất dataValueSets")
    @api_feature("exchange.export")
    def export(
        request: HttpRequest, dataSet: str = "", period: str = "", orgUnit: str = "", includeSubmitted: bool = False
    ) -> Any:  # noqa: N803 - DHIS2's parameter names
        params = {k: v for k, v in request.GET.items() if k in _EXPORT_PARAMS}
        opts = services.options(params)
        if opts.problems:
            raise HttpError(400, " ".join(opts.problems))
        province = None
        catalogue = Catalogue(None)  # read once: resolves the filters and writes the ids
        if orgUnit:
            unit = catalogue.resolve("orgUnit", orgUnit, opts.schemes["orgUnit"])
            province = (
                Province.objects.for_user(request.user, "exchange.export")
                .filter(code=unit.code if unit else "")
                .first()
            )
            if province is None:
                raise HttpError(404, "Không tìm thấy tỉnh (orgUnit) trong phạm vi của bạn.")
        form = None
        if dataSet:
            data_set = catalogue.resolve("dataSet", dataSet, opts.schemes["dataElement"])
            form = Form.objects.filter(code=data_set.code.rsplit("_", 1)[0]).first() if data_set else None
            if form is None:
                raise HttpError(404, f"Không có bộ dữ liệu «{dataSet}».")
        if period:
            try:
                parse(period)
            except PeriodError as exc:
                raise HttpError(400, str(exc)) from exc
        values = services.export_value_set(
            user=request.user,
            form=form,
            period=period,
            province=province,
            include_submitted=includeSubmitted,
            opts=opts,
            catalogue=catalogue,
        )
        if request.GET.get("format") == "csv":
            return StreamingHttpResponse(services.to_csv_lines(values), content_type="text/csv; charset=utf-8")
        return services.to_json(values, data_set=dataSet)

    @router.post(
        "/dataValueSets",
        response={200: dict[str, Any], 409: dict[str, Any]},
        url_name="dhis2_data_value_sets_import",
        summary="Nhập dataValueSets",
    )
    @api_feature("exchange.import")
    def import_values(request: HttpRequest) -> Any:
        opts = services.options(dict(request.GET.items()))
        summary = services.import_value_set(
            acting_user=request.user, data=request.body, content_type=request.content_type or "", opts=opts
        )
        return Status(409 if summary.status == "ERROR" else 200, summary.as_dict())

    return router


router = build_router()
