"""Loading the unit list and managing population figures."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from access.policy import require_visible
from audit.services import record
from core import vn
from geo import reference
from geo.models import Commune, Population, Province

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"tạo mới {self.created}, cập nhật {self.updated}, không đổi {self.unchanged}"


_PROVINCE_FIELDS = ("name", "short_name", "lat", "lon")
_COMMUNE_FIELDS = ("province_id", "name", "short_name", "kind", "lat", "lon", "area_km2")


def _sync(model: Any, rows: list[dict[str, Any]], fields: tuple[str, ...], result: LoadResult) -> None:
    """Insert missing rows and update changed ones by primary key; touch nothing else."""
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [f for f in fields if getattr(obj, f) != row[f]]
        if changed:
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
        else:
            result.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, list(fields), batch_size=500)
    result.created += len(to_create)
    result.updated += len(to_update)


@transaction.atomic
def load_admin_units() -> LoadResult:
    """Load or refresh the 34 provinces and 3,321 communes from the package (idempotent).

    A unit is matched by its official code, so a renamed unit is updated in place.
    """
    result = LoadResult()
    _sync(Province, [vars(p) for p in reference.provinces()], _PROVINCE_FIELDS, result)
    commune_rows = []
    for c in reference.communes():
        row = vars(c).copy()
        row["province_id"] = row.pop("province_code")
        commune_rows.append(row)
    _sync(Commune, commune_rows, _COMMUNE_FIELDS, result)
    return result


def set_population(*, acting_user: User, commune: Commune, year: int, population: int, source: str = "") -> Population:
    """Record (or correct) a commune's resident population for a year, with an audit event."""
    require_visible(Commune.objects.for_user(acting_user, "edit"), commune)
    with transaction.atomic():
        obj = Population.objects.select_for_update().filter(commune=commune, year=year).first()
        old = obj.population if obj else None
        if obj is None:
            obj = Population.objects.create(
                commune=commune, year=year, population=population, source=source, updated_by=acting_user
            )
        else:
            obj.population, obj.source, obj.updated_by = population, source, acting_user
            obj.save(update_fields=["population", "source", "updated_by", "updated_at"])
        record(
            actor=acting_user,
            action="population.set",
            obj=obj,
            province_code=commune.province_id,
            changes={"population": [old, population], "year": year},
        )
    return obj


@dataclass
class ImportReport:
    """Outcome of a population CSV import: either applied rows or the reasons for refusal."""

    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


MIN_YEAR, MAX_YEAR = 2000, 2100


def import_population_csv(*, acting_user: User, data: bytes, communes: Any, source: str = "") -> ImportReport:
    """Import `code,year,population` rows; any bad row rejects the whole file.

    `communes` narrows the communes the file may touch; the service keeps only those the user may
    edit whatever it is given. A code outside them is reported as unknown, exactly like a code
    that does not exist (no leaking of other provinces' codes).
    """
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append("Tệp không phải văn bản UTF-8. Hãy lưu tệp CSV với mã hóa UTF-8.")
        return report
    reader = csv.reader(io.StringIO(text))
    rows = [r for r in reader]
    if not rows:
        report.errors.append("Tệp rỗng: cần các dòng code,year,population.")
        return report
    header = [h.strip().lower() for h in rows[0]]
    if header != ["code", "year", "population"]:
        report.errors.append("Dòng 1: tiêu đề phải là code,year,population.")
        return report
    allowed = set(
        communes.filter(pk__in=Commune.objects.for_user(acting_user, "edit").values("pk")).values_list(
            "code", flat=True
        )
    )
    seen: dict[tuple[str, int], int] = {}
    parsed: list[tuple[str, int, int]] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            report.errors.append(f"Dòng {lineno}: cần đúng 3 cột (code,year,population), có {len(row)}.")
            continue
        code, year_raw, pop_raw = (cell.strip() for cell in row)
        problems = []
        if code not in allowed:
            problems.append(f"mã xã «{code}» không có trong danh sách xã bạn được cập nhật")
        year = _int_or_none(year_raw)
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            problems.append(f"năm «{year_raw}» không hợp lệ (cần số từ {MIN_YEAR} đến {MAX_YEAR})")
        pop: int | None = None
        try:
            pop = vn.parse_integer(pop_raw)  # Vietnamese notation, as this file has always been read: 12.345
        except vn.NumberError as exc:
            problems.append(f"nhân khẩu: {str(exc).rstrip('.')}")
        else:
            if pop is None:
                problems.append("nhân khẩu bị bỏ trống")
            elif pop < 0:
                problems.append(f"nhân khẩu «{pop_raw}» không được âm")
        if code and year is not None:
            first = seen.setdefault((code, year), lineno)
            if first != lineno:
                problems.append(f"trùng với dòng {first} (cùng mã xã và năm)")
        if problems:
            report.errors.append(f"Dòng {lineno}: " + "; ".join(problems) + ".")
        else:
            parsed.append((code, year, pop))  # type: ignore[arg-type]
    if report.errors:
        return report
    if not parsed:
        report.errors.append("Tệp không có dòng dữ liệu nào.")
        return report
    with transaction.atomic():
        existing = {
            (p.commune_id, p.year): p
            for p in Population.objects.filter(
                commune_id__in={c for c, _, _ in parsed}, year__in={y for _, y, _ in parsed}
            )
        }
        to_create, to_update = [], []
        for code, year, pop in parsed:
            obj = existing.get((code, year))
            if obj is None:
                to_create.append(
                    Population(commune_id=code, year=year, population=pop, source=source, updated_by=acting_user)
                )
            elif obj.population != pop:
                obj.population, obj.source, obj.updated_by = pop, source, acting_user
                to_update.append(obj)
        Population.objects.bulk_create(to_create, batch_size=500)
        Population.objects.bulk_update(to_update, ["population", "source", "updated_by"], batch_size=500)
        report.created, report.updated = len(to_create), len(to_update)
        first_commune = Commune.objects.get(pk=parsed[0][0])
        record(
            actor=acting_user,
            action="population.import",
            obj=first_commune,
            province_code=first_commune.province_id,
            changes={"rows": len(parsed), "created": report.created, "updated": report.updated},
        )
    return report


def _int_or_none(raw: str) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
