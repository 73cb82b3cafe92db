"""Figures of the registry, counted as of a day (issue 13 §2): nobody types what the registry knows.

`commune_figures(commune, day)` counts the persons the commune managed on `day`, each at their
status on that day (`legal.path.status_on` over their dated decisions): by status, sex and age
band; in rehab by form; methadone; post-rehab; residents using drugs in the sense of QĐ 28 Điều 6
(excluding methadone patients, home/community rehab and post-rehab management); interventions
given in the year. Values are exact: outputs for anyone but case officers go through
`core.suppression`.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cases.models import Decision, Intervention, Person, Sex, Transfer
from geo.models import Commune, Province
from legal import path

AGE_BANDS = (
    ("u18", "Dưới 18 tuổi", 0, 17),
    ("18_29", "Từ 18 đến 29", 18, 29),
    ("30_44", "Từ 30 đến 44", 30, 44),
    ("45", "Từ 45 trở lên", 45, 200),
)
NOT_COUNTED = frozenset({None, path.ENDED, path.DEAD})
# QĐ 28/2025 Điều 6: residents using or addicted, except substitution treatment, home/community
# rehab and post-rehab management. People in a rehab facility do not currently reside in the
# commune; people released after a sentence are counted only once a new decision says they use.
RESIDENT_STATUSES = frozenset({path.USING, path.BEING_ASSESSED, path.ADDICTED, path.AWAITING_COMPULSORY})


STATUS_ROWS = [(code, label) for code, label in path.STATUSES.items() if code not in NOT_COUNTED]


@dataclass(frozen=True)
class _D:
    """The fields of a decision that the path reads (`legal.path.DecisionLike`)."""

    pk: int
    decision_type: str
    decided_on: datetime.date
    starts_on: datetime.date | None
    ends_on: datetime.date | None


def _commune_on(current: str, moves: list[tuple[datetime.date, int, str]], day: datetime.date) -> str:
    """The commune that managed the person on `day` (a move counts from its date)."""
    later = [m for m in moves if m[0] > day]
    return min(later)[2] if later else current


def _rehab_form(decisions: list[_D], day: datetime.date) -> str:
    entered = [d for d in decisions if d.decision_type in path.REHAB_FORMS and path.effective_on(d) <= day]
    return max(entered, key=lambda d: (path.effective_on(d), d.pk)).decision_type if entered else ""


def _rows(
    codes: list[str],
) -> tuple[list[tuple[int, str, str, int]], dict[int, list[_D]], dict[int, list[tuple[datetime.date, int, str]]]]:
    """Persons managed by the communes (now, or before a move), their decisions and moves: plain
    rows, no model instances (a province holds tens of thousands of persons)."""
    fields = ("pk", "commune_id", "sex", "birth_year")
    persons = list(Person.objects.filter(commune_id__in=codes).values_list(*fields))
    moved_out = set(
        Transfer.objects.filter(from_commune_id__in=codes)
        .exclude(state=Transfer.State.CANCELLED)
        .values_list("person_id", flat=True)
    ) - {p[0] for p in persons}
    if moved_out:  # persons who have left since: counted where they were on the day
        persons += list(Person.objects.filter(pk__in=sorted(moved_out)).values_list(*fields))
    ids = [p[0] for p in persons]
    decisions: dict[int, list[_D]] = defaultdict(list)
    moves: dict[int, list[tuple[datetime.date, int, str]]] = defaultdict(list)
    for chunk in (ids[i : i + 20000] for i in range(0, len(ids), 20000)):
        rows = (
            Decision.objects.filter(person_id__in=chunk)
            .order_by("decided_on", "pk")
            .values_list("person_id", "pk", "decision_type", "decided_on", "starts_on", "ends_on")
        )
        for person_id, pk, decision_type, decided_on, starts_on, ends_on in rows:
            decisions[person_id].append(_D(pk, decision_type, decided_on, starts_on, ends_on))
        transfers = (
            Transfer.objects.filter(person_id__in=chunk)
            .exclude(state=Transfer.State.CANCELLED)
            .values_list("person_id", "moved_on", "pk", "from_commune_id")
        )
        for person_id, moved_on, pk, origin in transfers:
            moves[person_id].append((moved_on, pk, origin))
    return persons, decisions, moves


def empty() -> dict[str, Any]:
    return {
        "total": 0,
        "by_status": {code: 0 for code, _ in STATUS_ROWS},
        "by_sex": {code: 0 for code, _ in Sex.choices},
        "by_age": {code: 0 for code, *_ in AGE_BANDS},
        "rehab_by_form": {code: 0 for code in path.REHAB_FORMS},
        "methadone": 0,
        "post_rehab": 0,
        "residents_using": 0,
        "interventions": {code: 0 for code, _ in Intervention.Kind.choices},
        "legal_aid_requested": 0,
    }


def figures_by_commune(communes: Iterable[str], day: datetime.date) -> dict[str, dict[str, Any]]:
    """{commune code: figures} for several communes in one pass over their persons."""
    codes = set(communes)
    out: dict[str, dict[str, Any]] = {code: empty() for code in codes}
    owner: dict[int, str] = {}
    persons, all_decisions, moves = _rows(sorted(codes))
    for pk, current, sex, birth_year in persons:
        commune = _commune_on(current, moves.get(pk, []), day)
        if commune not in codes:
            continue
        decisions = all_decisions.get(pk, [])
        status = path.status_on(decisions, day)
        if status in NOT_COUNTED:
            continue
        f = out[commune]
        owner[pk] = commune
        f["total"] += 1
        f["by_status"][status] += 1
        f["by_sex"][sex] += 1
        age = day.year - birth_year
        band = next(code for code, _, lo, hi in AGE_BANDS if lo <= age <= hi) if age >= 0 else "u18"
        f["by_age"][band] += 1
        if status == path.IN_REHAB:
            form = _rehab_form(decisions, day)
            if form:
                f["rehab_by_form"][form] += 1
        elif status == path.ON_METHADONE:
            f["methadone"] += 1
        elif status == path.AFTER_REHAB:
            f["post_rehab"] += 1
        if status in RESIDENT_STATUSES:
            f["residents_using"] += 1
    if owner:
        year_start = datetime.date(day.year, 1, 1)
        given: Counter[tuple[str, str]] = Counter()
        aid: defaultdict[str, int] = defaultdict(int)
        ids = list(owner)
        rows = [
            row
            for i in range(0, len(ids), 20000)
            for row in Intervention.objects.filter(
                person_id__in=ids[i : i + 20000], on__range=(year_start, day)
            ).values_list("person_id", "kind", "state")
        ]
        for person_id, kind, state in rows:
            if state == Intervention.State.GIVEN:
                given[(owner[person_id], kind)] += 1
            elif kind == Intervention.Kind.LEGAL_AID:
                aid[owner[person_id]] += 1
        for (commune, kind), n in given.items():
            out[commune]["interventions"][kind] += n
        for commune, n in aid.items():
            out[commune]["legal_aid_requested"] += n
    return out


def commune_figures(commune: Any, day: datetime.date) -> dict[str, Any]:
    """The registry's figures of one commune as of `day` (the period's closing day)."""
    code = getattr(commune, "pk", commune)
    return figures_by_commune([code], day)[code]


def province_figures(province: Province, day: datetime.date) -> dict[str, dict[str, Any]]:
    codes = Commune.objects.filter(province=province).values_list("code", flat=True)
    return figures_by_commune(list(codes), day)


def total(figures: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The sum of several communes' figures."""
    out = empty()
    for f in figures:
        for key, value in f.items():
            if isinstance(value, dict):
                for k, v in value.items():
                    out[key][k] += v
            else:
                out[key] += value
    return out


def display(f: dict[str, Any], *, reveal: bool) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The figures as labelled sections, small counts masked unless `reveal` (`core.suppression`).

    Each section's cells add up to the total shown, so a lone masked cell hides a second one.
    """
    from core.suppression import suppress, suppress_row

    def section(labels: list[str], values: list[int], has_total: bool) -> list[tuple[str, Any]]:
        return list(zip(labels, suppress_row(values, reveal=reveal, has_total=has_total), strict=True))

    status = f["by_status"]
    return [
        ("Tổng số người đang quản lý", [("Tổng số", suppress(f["total"], reveal=reveal))]),
        ("Theo tình trạng", section([label for code, label in STATUS_ROWS], [status[c] for c, _ in STATUS_ROWS], True)),
        (
            "Theo giới tính",
            section([label for _, label in Sex.choices], [f["by_sex"][c] for c, _ in Sex.choices], True),
        ),
        ("Theo độ tuổi", section([label for _, label, *_ in AGE_BANDS], [f["by_age"][c] for c, *_ in AGE_BANDS], True)),
        (
            "Đang cai nghiện theo hình thức",
            section(list(path.REHAB_FORMS.values()), [f["rehab_by_form"][c] for c in path.REHAB_FORMS], True),
        ),
        (
            "Điều trị thay thế, sau cai, cư trú trên địa bàn",
            [
                ("Đang điều trị thay thế (methadone)", suppress(f["methadone"], reveal=reveal)),
                ("Đang quản lý sau cai nghiện", suppress(f["post_rehab"], reveal=reveal)),
                (
                    "Người đang cư trú nghiện, sử dụng trái phép (QĐ 28 Điều 6: trừ methadone, cai tại gia đình, cộng đồng và sau cai)",
                    suppress(f["residents_using"], reveal=reveal),
                ),
            ],
        ),
        (
            "Hỗ trợ đã thực hiện trong năm",
            [(label, suppress(f["interventions"][code], reveal=reveal)) for code, label in Intervention.Kind.choices]
            + [("Trợ giúp pháp lý đã đề nghị, chưa thực hiện", suppress(f["legal_aid_requested"], reveal=reveal))],
        ),
    ]
