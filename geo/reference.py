"""Reading the official unit list from the `vietnamadminunits` package (pin 1.0.4).

The package ships a SQLite file with 34 provinces and 3,321 communes (statistics-office codes,
names, types, centroids, areas) and a table of the 63 pre-2025 provinces with their districts and
communes. Nothing here is hand-typed; the loader and the legacy resolver read the package.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import vietnamadminunits

DATASET = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"

KIND_BY_TYPE = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str
    short_name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class CommuneRow:
    code: str
    province_code: str
    name: str
    short_name: str
    kind: str
    lat: float | None
    lon: float | None
    area_km2: Decimal | None


def _connect() -> sqlite3.Connection:
    # Read-only: the package's file is never written.
    return sqlite3.connect(f"file:{DATASET}?mode=ro", uri=True)


def provinces() -> list[ProvinceRow]:
    with _connect() as conn:
        rows = conn.execute(
            "SELECT DISTINCT provinceCode, province, provinceShort, provinceLat, provinceLon "
            "FROM admin_units ORDER BY provinceCode"
        ).fetchall()
    return [ProvinceRow(*row) for row in rows]


def legacy_provinces() -> list[tuple[str, str]]:
    """The 63 pre-2025 provinces as (two-digit statistics-office code, name)."""
    with _connect() as conn:
        rows = conn.execute(
            "SELECT DISTINCT provinceCode, province FROM admin_units_legacy ORDER BY provinceCode"
        ).fetchall()
    return [(code, name) for code, name in rows]


def communes() -> Iterator[CommuneRow]:
    with _connect() as conn:
        rows = conn.execute(
            "SELECT wardCode, provinceCode, ward, wardShort, wardType, wardLat, wardLon, wardAreaKm2 "
            "FROM admin_units ORDER BY wardCode"
        ).fetchall()
    for code, pcode, name, short, wtype, lat, lon, area in rows:
        yield CommuneRow(
            code=code,
            province_code=pcode,
            name=name,
            short_name=short,
            kind=KIND_BY_TYPE[wtype],
            lat=lat,
            lon=lon,
            area_km2=Decimal(str(area)).quantize(Decimal("0.01")) if area is not None else None,
        )


@dataclass(frozen=True)
class LegacyResolution:
    """Where a pre-2025 unit went: the new province and, when known, the new commune."""

    query: str
    province_code: str | None
    province_name: str | None
    commune_code: str | None
    commune_name: str | None


@lru_cache(maxsize=1)
def _ward_codes_by_key() -> dict[tuple[str, str], tuple[str, str]]:
    with _connect() as conn:
        rows = conn.execute("SELECT provinceKey, wardKey, wardCode, ward FROM admin_units").fetchall()
    return {(pk, wk): (code, name) for pk, wk, code, name in rows}


@lru_cache(maxsize=1)
def _province_by_key() -> dict[str, tuple[str, str]]:
    with _connect() as conn:
        rows = conn.execute("SELECT DISTINCT provinceKey, provinceCode, province FROM admin_units").fetchall()
    return {key: (code, name) for key, code, name in rows}


def resolve_legacy(address: str) -> LegacyResolution:
    """Map an old address ("Xã Ea Tu, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk") to the 2025 units.

    Uses the package's converter without a street part, so no geocoding (and no network) is
    involved: a commune that was split maps to the package's default successor.
    """
    from vietnamadminunits.converter import convert_address_2025

    try:
        unit = convert_address_2025(address)
    except Exception:  # noqa: BLE001 - the converter raises bare exceptions on unknown input
        return LegacyResolution(address, None, None, None, None)
    province = _province_by_key().get(getattr(unit, "province_key", None) or "")
    ward = _ward_codes_by_key().get((getattr(unit, "province_key", "") or "", getattr(unit, "ward_key", "") or ""))
    return LegacyResolution(
        query=address,
        province_code=province[0] if province else None,
        province_name=province[1] if province else None,
        commune_code=ward[0] if ward else None,
        commune_name=ward[1] if ward else None,
    )
