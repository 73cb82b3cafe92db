"""Chart specifications for the home pages (drawn by static/js/dashboard/home.js with the
vendored ECharts): plain JSON, figures already suppressed where they count people."""

from __future__ import annotations

from typing import Any

from core.suppression import is_small


def _spec(kind: str, labels: list[str], series: list[dict[str, Any]], unit: str = "", **extra: Any) -> dict[str, Any]:
    return {"type": kind, "labels": labels, "series": series, "unit": unit, **extra}


def province_charts(b: Any, *, reveal: bool) -> dict[str, dict[str, Any]]:
    """Completeness of the communes' reports over the last periods and the key indicators' trend."""
    code = b.province.pk
    out: dict[str, dict[str, Any]] = {}
    if b.trend:
        out[f"completeness-{code}"] = _spec(
            "line",
            [r.period.label for r in b.trend],
            [
                {"name": "Đã nộp", "values": [_round(r.communes.percent) for r in b.trend]},
                {
                    "name": "Đúng hạn",
                    "values": [
                        _round(100 * r.communes.on_time / r.communes.expected) if r.communes.expected else None
                        for r in b.trend
                    ],
                },
            ],
            "%",
            max=100,
        )
    if b.indicators:
        for f in b.indicators.figures[:4]:
            values = [None if v is None or (f.counts_people and not reveal and is_small(v)) else v for _, v in f.trend]
            if any(v is not None for v in values):
                out[f"indicator-{code}-{f.code}"] = _spec(
                    "line", [label for label, _ in f.trend], [{"name": f.name, "values": values}], f.unit
                )
    return out


def unit_charts(months: list[tuple[str, int, int]]) -> dict[str, dict[str, Any]]:
    return {
        "unit-done": _spec(
            "bar",
            [m for m, _, _ in months],
            [
                {"name": "Hoàn thành đúng hạn", "values": [a for _, a, _ in months], "stack": "done"},
                {"name": "Hoàn thành quá hạn", "values": [b for _, _, b in months], "stack": "done"},
            ],
            "nhiệm vụ",
        )
    }


def nation_charts(n: Any) -> dict[str, dict[str, Any]]:
    rows = sorted(n.rows, key=lambda r: (r.completeness is None, -(r.completeness or 0), r.name))
    out = {
        "nation-completeness": _spec(
            "hbar",
            [r.name for r in rows],
            [{"name": "Tỷ lệ nộp báo cáo", "values": [_round(r.completeness) for r in rows]}],
            "%",
            max=100,
        )
    }
    if n.trend:
        out["nation-trend"] = _spec(
            "line",
            [label for label, _ in n.trend],
            [{"name": "Báo cáo của xã đã nộp", "values": [_round(v) for _, v in n.trend]}],
            "%",
            max=100,
        )
    return out


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 1)
