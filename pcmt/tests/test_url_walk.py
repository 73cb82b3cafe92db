"""Every URL pattern and every API operation, for every persona, in and out of scope (issue 9).

1. Every view carries an access rule (`access.decorators`: a feature of the table, `login` or
   `public`) or is on the reviewed ALLOWLIST below. A view added without one fails here.
2. An anonymous visitor is sent to sign-in (401 on the API).
3. For every persona and every object of province A and of province B:
   - without the view's feature: 403 (the admin site: a redirect to its sign-in);
   - with it, on an object of a province the persona does not reach: 404, never the object;
   - with it over the whole province of the object: the page works (not 403, not 404);
   - never a 500.
4. Every answer against the reviewed baseline `access_baseline.json`: the status of each
   (method, URL, side, persona) and the exact number of queries of each page that answers 200
   (as NetBox does). A guard weakened, a page newly opened, a query more: the suite fails until
   the diff is reviewed and the file rewritten with
   `UPDATE_QUERY_COUNTS=1 .venv/bin/python -m pytest -p no:xdist pcmt/tests/test_url_walk.py`.

Objects live in `world.py`; the URL → object table (OBJECTS, QUERY) is part of the review: a
URL with parameters and no entry fails the walk.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import time_machine
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access import features
from access.decorators import LOGIN
from access.policy import reach
from accounts.models import User
from conftest import USERNAMES, sign_in
from legal.models import Holiday, RuleSet
from pcmt.tests.world import A, B, Side, World, build_world

NOW = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
BASELINE = Path(__file__).with_name("access_baseline.json")
LOGIN_URL = "/tai-khoan/dang-nhap/"

# Views without a rule of their own, each with the reason it is safe (reviewed).
ALLOWLIST = {
    "admin:": "Django's admin site: AdminSite.has_permission reads the feature admin.site (pcmt/urls.py)",
    "quan-tri/login/": "redirects to PCMT's own sign-in (lockout, second factor)",
    "api:api-root": "ninja's index of the API: lists the operations, each guarded below",
}

# The object each URL parameter names, in one province's Side.
OBJECTS: dict[str, Callable[[Side], dict[str, Any]]] = {
    "accounts:otp_reset": lambda s: {"pk": s.user.pk},
    "accounts:user_detail": lambda s: {"pk": s.user.pk},
    "accounts:user_set_active": lambda s: {"pk": s.user.pk},
    "accounts:user_unlock": lambda s: {"pk": s.user.pk},
    "accounts:role_revoke": lambda s: {"pk": s.user.pk, "assignment_id": s.assignment.pk},
    "accounts:grant_approve": lambda s: {"pk": s.pending_grant.pk},
    "accounts:token_revoke": lambda s: {"pk": s.api_token.pk},
    "jobs:detail": lambda s: {"pk": s.job.pk},
    "jobs:download": lambda s: {"pk": s.job.pk},
    "geo:commune_detail": lambda s: {"code": s.commune.code},
    "agencies:edit": lambda s: {"pk": s.agency.pk},
    "notices:open": lambda s: {"pk": s.notification.pk},
    "plans:plan_detail": lambda s: {"pk": s.plan.pk},
    "plans:extension_decide": lambda s: {"pk": s.extension.pk},
    "plans:attachment_download": lambda s: {"pk": s.attachment.pk},
    "reporting:schedule_edit": lambda s: {"pk": s.schedule.pk},
    "reporting:design_element": lambda s: {"pk": s.element.pk},
    "reporting:design_combo": lambda s: {"pk": s.combo.pk},
    "reporting:design_element_action": lambda s: {"pk": s.element.pk},
    "reporting:design_form": lambda s: {"pk": s.own_form.pk},
    "reporting:design_form_copy": lambda s: {"pk": s.own_form.pk},
    "reporting:design_rule_check": lambda s: {"pk": s.own_form.pk},
    "reporting:lock_exceptions": lambda s: {"pk": s.schedule.pk},
    "reporting:schedules_from_plan": lambda s: {"plan_pk": s.plan.pk},
    "reporting:schedules_from_plan_preview": lambda s: {"plan_pk": s.plan.pk},
    "consolidation:province": lambda s: {"province": s.province.code},
    "consolidation:narrative": lambda s: {"province": s.province.code},
    "consolidation:province_export": lambda s: {"province": s.province.code, "fmt": "xlsx"},
    "periodreport:province": lambda s: {"province": s.province.code},
    "periodreport:province_export": lambda s: {"province": s.province.code, "fmt": "docx"},
    "dhis2:metadata_province": lambda s: {"province": s.province.code},
    "indicators:province": lambda s: {"province": s.province.code},
    "indicators:target_delete": lambda s: {"pk": s.target.pk},
    "areas:province_finalize": lambda s: {"pk": s.province_assessment.pk},
    "areas:province_reopen": lambda s: {"pk": s.province_assessment.pk},
    "areas:self_assessment": lambda s: {"code": s.commune.code, "year": 2026},
    "areas:preview": lambda s: {"code": s.commune.code, "year": 2026},
    "api:get_plan": lambda s: {"plan_id": s.plan.pk},
    "api:get_task": lambda s: {"task_id": s.task.pk},
    "api:post_update": lambda s: {"task_id": s.task.pk},
}
# National reference data (legal): the same object from either province's side.
for _name in ("ruleset_detail", "ruleset_edit", "ruleset_create"):
    OBJECTS[f"legal:{_name}"] = lambda s: {"pk": RuleSet.objects.get(code="LPCMT-2025").pk}
for _name in ("holiday_edit", "holiday_delete"):
    OBJECTS[f"legal:{_name}"] = lambda s: {"pk": Holiday.objects.get(day=dt.date(2026, 9, 2)).pk}
for _name in (
    "import_review",
    "import_file",
    "import_meta",
    "import_replaces",
    "import_ack_duplicate",
    "import_target_add",
    "import_duty_add",
    "import_block_add",
    "import_bulk_set",
    "import_replace_legacy",
    "import_confirm",
    "import_discard",
):
    OBJECTS[f"plans:{_name}"] = lambda s: {"pk": s.draft.pk}
for _name in ("import_target_save", "import_target_delete", "import_duty_save", "import_duty_delete"):
    OBJECTS[f"plans:{_name}"] = lambda s: {"pk": s.draft.pk, "i": 0}
OBJECTS["plans:import_block_save"] = lambda s: {"pk": s.draft.pk, "b": 0}
OBJECTS["plans:import_block_body"] = lambda s: {"pk": s.draft.pk, "b": 0}
OBJECTS["plans:import_task_add"] = lambda s: {"pk": s.draft.pk, "b": 0}
for _name in ("import_task_save", "import_task_delete", "import_task_split", "import_task_merge"):
    OBJECTS[f"plans:{_name}"] = lambda s: {"pk": s.draft.pk, "b": 0, "t": 0}
for _name in ("task_detail", "task_progress", "task_contribute", "task_status", "task_guidance", "task_extension"):
    OBJECTS[f"plans:{_name}"] = lambda s: {"pk": s.task.pk}
OBJECTS["dashboard:approve"] = lambda s: {"pk": s.submission.pk}
OBJECTS["dashboard:province_map"] = lambda s: {"code": s.province.code}
for _name in ("submission", "history", "approve", "return", "unlock", "autosave"):
    OBJECTS[f"reporting:{_name}"] = lambda s: {"pk": s.submission.pk}
for _name in ("province", "province_xlsx", "literal_bands", "roadmap", "register_year", "province_assessment"):
    OBJECTS[f"areas:{_name}"] = lambda s: {"code": s.province.code}
for _name in ("commune", "historical"):
    OBJECTS[f"areas:{_name}"] = lambda s: {"code": s.commune.code}
for _name in ("submit", "return", "forward", "approve"):
    OBJECTS[f"areas:{_name}"] = lambda s: {"pk": s.assessment.pk}

for _name in ("person", "decision_add", "intervention_add", "request_add", "relative_add", "transfer_request"):
    OBJECTS[f"cases:{_name}"] = lambda s: {"pk": s.person.pk}
OBJECTS["cases:transfer_accept"] = lambda s: {"pk": s.transfer.pk}
OBJECTS["cases:request_answer"] = lambda s: {"pk": s.person_request.pk}
OBJECTS["cases:renewal_request"] = lambda s: {"pk": s.case_role.pk}
OBJECTS["cases:renewal_approve"] = lambda s: {"pk": s.renewal.pk}

# Pages without URL parameters that pick a province from the query string.
QUERY = {
    name: "province"
    for name in (
        "geo:communes",
        "agencies:create",
        "plans:task_list",
        "plans:overdue",
        "plans:matrix",
        "plans:by_project",
        "plans:task_export",
        "plans:matrix_export",
        "reporting:schedule_create",
        "consolidation:exchange_export",
        "api:reporting_data_values_export",
        "api:reporting_totals",
        "api:dhis2_metadata",
    )
}
# A URL whose object belongs to one person rather than to a province.
OWNER = {
    "notices:open": lambda s: s.office,
    "accounts:token_revoke": lambda s: s.office,
    "jobs:detail": lambda s: s.office,
    "jobs:download": lambda s: s.office,
}
FIXED = {
    "reporting:form_detail": {"code": "XA_QUY"},
    "consolidation:nation_export": {"fmt": "xlsx"},
    "periodreport:nation_export": {"fmt": "docx"},
}
# POSTs whose object is named in the body: the body for one province's Side.
DATA: dict[str, Callable[[Side], dict[str, Any]]] = {
    "reporting:open": lambda s: {"schedule": s.schedule.pk, "unit": f"commune:{s.commune.code}", "period": "2026Q2"},
    "indicators:target_set": lambda s: {"province": s.province.code},
    "reporting:remind": lambda s: {"schedule": s.schedule.pk, "period": "2026Q2", "unit": "late"},
    "reporting:approve_batch": lambda s: {"schedule": s.schedule.pk, "period": "2026Q2"},
    "api:post_update": lambda s: {"version": s.task.version, "text": "Đã làm"},
    "cases:merge": lambda s: {"keep": s.person.pk, "other": s.person2.pk},
}
# Nonsense a link or a person can put in a query string: pages answer 200/302/400/404, never 500.
BAD_QUERY = {
    "page": "99999999999999999999",
    "year": "năm",
    "period": "2026Q9",
    "province": "zz",
    "schedule": "x",
    "n": "-5",
    "form": "x",
    "plan": "x",
    "agency": "x",
    "status": "x",
    "due": "x",
    "bucket": "x",
    "element": "'\"<b>",
    "q": "<script>alert(1)</script>",
    "submitted": "x",
    "limit": "x",
    "offset": "-1",
    "project": "x",
    "role": "x",
    "show": "x",
    "kind": "x",
    "format": "x",
    "unit": "x:y",
}
# The walk is split in groups (xdist spreads them over processes); each URL namespace is in one.
GROUPS = {
    "accounts": ("accounts", "geo", "agencies", "notices", "program", "dashboard", "admin", "jobs", "legal", ""),
    "plans": ("plans",),
    "reporting": ("reporting",),
    "consolidation": ("consolidation", "indicators", "periodreport", "dhis2"),
    "areas": ("areas",),
    "api": ("api",),
    "cases": ("cases",),
}


@dataclass(frozen=True)
class Entry:
    """One URL pattern (or one API operation) and its access rule."""

    name: str
    route: str
    rule: str  # "feature|feature", "login", "public", "admin.site" or "allow:<reason>"
    methods: tuple[str, ...] = ()  # API operations: their HTTP methods
    params: tuple[str, ...] = ()

    @property
    def features(self) -> list[str]:
        return [] if self.rule in (LOGIN, "public") or self.rule.startswith("allow:") else self.rule.split("|")


def _rule_of(callback: Any) -> str | None:
    return getattr(callback, "access_rule", None) or getattr(getattr(callback, "view_class", None), "access_rule", None)


def _ninja_operations(callback: Any) -> list[Any] | None:
    if getattr(callback, "__name__", "") not in ("sync_view_wrapper", "async_view_wrapper"):
        return None
    path_view = inspect.getclosurevars(callback).nonlocals.get("self")
    return list(getattr(path_view, "operations", []))


def _listed(key: str, name: str, route: str) -> bool:
    """An allowlist key is a namespace ("admin:"), a URL name or a route."""
    return name.startswith(key) if key.endswith(":") else key in (name, route)


def walk(patterns: list[Any] | None = None) -> list[Entry]:
    """Every URL pattern of the project (each API operation once), with the rule its view carries."""
    return list(dict.fromkeys(_walk(patterns)))


def _walk(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[Entry]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
            continue
        assert isinstance(p, URLPattern)
        name = f"{namespace}:{p.name}" if namespace else (p.name or "")
        route = prefix + str(p.pattern)
        params = tuple(p.pattern.regex.groupindex)
        operations = _ninja_operations(p.callback)
        if operations is not None:
            # One route may carry several operations (GET export, POST import), each its own entry.
            for op in operations:
                op_name = f"{namespace}:{op.url_name}" if getattr(op, "url_name", None) else name
                yield Entry(op_name, route, _rule_of(op.view_func) or "", tuple(op.methods), params)
            continue
        allowed = next((f"allow:{why}" for key, why in ALLOWLIST.items() if _listed(key, name, route)), None)
        yield Entry(name, route, allowed or _rule_of(p.callback) or "", (), params)


def unguarded(entries: list[Entry]) -> list[str]:
    """Views with no rule, or a rule naming a feature that is not in the table."""
    out = []
    for e in entries:
        if not e.rule:
            out.append(f"{e.name or e.route}: không có quy tắc truy cập")
            continue
        for key in e.features:
            if key != "admin.site" and key not in features.FEATURES:
                out.append(f"{e.name}: tính năng «{key}» không có trong bảng")
    return out


def test_every_view_has_a_rule_or_is_on_the_reviewed_allowlist():
    problems = unguarded(list(walk()))
    assert not problems, "\n".join(problems)


def test_the_walk_reports_a_view_without_a_rule():
    from django.urls import path

    from access.decorators import feature_required

    def naked(request: Any) -> None: ...

    guarded = feature_required("plan.read")(naked)
    entries = list(walk([path("a/", naked, name="a"), path("b/", guarded, name="b")]))
    assert unguarded(entries) == ["a: không có quy tắc truy cập"]


# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    entry: Entry
    persona: str
    side: str  # "A", "B" or "" (no object)
    method: str
    status: int
    queries: int | None = None


class UrlWalk(TestCase):
    """One world for the whole walk; every request runs in a savepoint that is rolled back."""

    world: World
    entries: list[Entry]

    @classmethod
    def setUpClass(cls) -> None:
        cls.traveller = time_machine.travel(NOW, tick=False)
        cls.traveller.start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.traveller.stop()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world(NOW.date())
        # Public views (sign-in, sign-out) are walked anonymously only: signing out would end a persona's session.
        cls.entries = [
            e
            for e in walk()
            if e.rule and e.rule != "public" and (not e.rule.startswith("allow:") or cls._admin_kept(e))
        ]
        cls.public = [e for e in walk() if e.rule == "public"]

    @staticmethod
    def _admin_kept(e: Entry) -> bool:
        # The admin site: its index and every list; object pages share their guard (AdminSite.admin_view).
        return e.name == "admin:index" or (e.name.startswith("admin:") and e.name.endswith("_changelist"))

    # -- requests ------------------------------------------------------------------------------

    def _client(self, persona: str | None) -> Client:
        client = Client()
        return client if persona is None else sign_in(client, self._user(persona))

    def _url(self, entry: Entry, side: Side | None, method: str = "GET") -> tuple[str, dict[str, str]]:
        query: dict[str, str] = {}
        if entry.name in QUERY and side is not None and method == "GET":
            query[QUERY[entry.name]] = side.province.code
        if not entry.params:
            return reverse(entry.name), query
        kwargs = FIXED.get(entry.name) or OBJECTS[entry.name](side)  # type: ignore[arg-type]
        return reverse(entry.name, kwargs=kwargs), query

    def _request(
        self,
        client: Client,
        method: str,
        url: str,
        query: dict[str, str],
        count: bool,
        data: dict[str, Any] | None = None,
        api: bool = False,
    ) -> tuple[int, int | None]:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                try:
                    if method == "GET":
                        response = client.get(url, query)
                    elif api:
                        response = client.post(url, json.dumps(data or {}), content_type="application/json")
                    else:
                        response = client.post(url, data or {})
                    status = response.status_code
                    if hasattr(response, "streaming_content"):
                        b"".join(response.streaming_content)
                except Exception:  # noqa: BLE001 - a crash is what the walk reports
                    status = 500
            transaction.set_rollback(True)
        return status, (len(ctx.captured_queries) if count else None)

    def _methods(self, entry: Entry, clients: dict[str, Client]) -> list[str]:
        if entry.methods:
            return [m for m in entry.methods if m in ("GET", "POST")]
        client = clients[self._holder(entry)]
        url, query = self._url(entry, self.world.a if self._needs_side(entry) else None)
        status, _ = self._request(client, "GET", url, query, False)
        return ["POST"] if status == 405 else ["GET"]

    def _data(self, entry: Entry, side: Side | None) -> dict[str, Any] | None:
        return DATA[entry.name](side) if entry.name in DATA and side is not None else None

    def _holder(self, entry: Entry) -> str:
        for persona in USERNAMES:
            if self._holds(persona, entry):
                return persona
        return "office_a"

    def _needs_side(self, entry: Entry) -> bool:
        return bool(entry.params) and entry.name not in FIXED or entry.name in QUERY or entry.name in DATA

    def _user(self, persona: str) -> User:
        users: dict[str, User] = self.__dict__.setdefault("_users", {})
        if persona not in users:
            users[persona] = User.objects.get(username=USERNAMES[persona])
        return users[persona]

    def _holds(self, persona: str, entry: Entry) -> bool:
        if entry.rule in (LOGIN, "public"):
            return True
        user = self._user(persona)
        return any(reach(user, key) for key in entry.features if key in features.FEATURES) or (
            entry.rule.startswith("allow:") and user.is_superuser
        )

    def _covers(self, persona: str, entry: Entry, code: str, whole: bool) -> bool:
        user = self._user(persona)
        for key in entry.features:
            if key not in features.FEATURES:
                continue
            r = reach(user, key)
            if r.nation or code in (r.provinces if whole else r.all_provinces):
                return True
        return False

    # -- the walk --------------------------------------------------------------------------------

    def _walk(self, group: str) -> list[Outcome]:
        outcomes = []
        clients = {p: self._client(p) for p in USERNAMES}
        for entry in self.entries:
            if entry.name.split(":")[0] not in GROUPS[group]:
                continue
            for method in self._methods(entry, clients):
                side_dependent = self._needs_side(entry) and (method == "GET" or entry.params or entry.name in DATA)
                sides = [("A", self.world.a), ("B", self.world.b)] if side_dependent else [("", None)]
                for label, side in sides:
                    url, query = self._url(entry, side, method)
                    data, api = self._data(entry, side), bool(entry.methods)
                    # Warm process-wide caches (content types, catalogues) so counts do not depend on order.
                    self._request(clients[self._holder(entry)], method, url, query, False, data, api)
                    for persona, client in clients.items():
                        status, n = self._request(client, method, url, query, method == "GET", data, api)
                        outcomes.append(Outcome(entry, persona, label, method, status, n))
        return outcomes

    def _problems(self, o: Outcome) -> str | None:
        e = o.entry
        where = f"{o.method} {e.name}{' [' + o.side + ']' if o.side else ''} — {o.persona}: {o.status}"
        if o.status >= 500:
            return f"{where} (lỗi máy chủ)"
        holds = self._holds(o.persona, e)
        if e.name.startswith("admin:"):
            ok = (o.status == 200) if holds else (o.status == 302)
            return None if ok else f"{where} (trang Quản trị)"
        if not holds:
            return None if o.status == 403 else f"{where} (cần 403: không có tính năng {e.rule})"
        if e.name in OWNER:
            side = self.world.a if o.side == "A" else self.world.b
            mine = OWNER[e.name](side).username == USERNAMES[o.persona]
            ok = (o.status != 404) if mine else (o.status == 404)
            return None if ok else f"{where} (đối tượng của người khác phải là 404)"
        if o.side:
            code = A if o.side == "A" else B
            if not self._covers(o.persona, e, code, whole=False):
                return None if o.status == 404 else f"{where} (ngoài phạm vi phải là 404)"
            if self._covers(o.persona, e, code, whole=True) and o.status in (403, 404):
                return f"{where} (trong phạm vi toàn tỉnh phải mở được)"
        elif o.status in (403, 404) and e.features:
            return f"{where} (có tính năng nhưng bị từ chối)"
        return None

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        anonymous = self._client(None)
        problems = []
        for entry in self.entries:
            sides = [self.world.a] if self._needs_side(entry) else [None]
            for method in entry.methods or ["GET", "POST"]:
                if method not in ("GET", "POST"):
                    continue
                url, query = self._url(entry, sides[0])
                with transaction.atomic():
                    response = anonymous.get(url, query) if method == "GET" else anonymous.post(url)
                    transaction.set_rollback(True)
                api = bool(entry.methods)  # an API operation (pages, the API docs included, redirect)
                to_login = response.status_code == 302 and (
                    response["Location"].startswith(LOGIN_URL) or "/quan-tri/login/" in response["Location"]
                )
                if not ((api and response.status_code == 401) or (not api and to_login) or response.status_code == 405):
                    problems.append(f"{method} {entry.name}: {response.status_code}")
        for entry in self.public:
            for method in ("GET", "POST"):
                status, _ = self._request(self._client(None), method, reverse(entry.name), {}, False)
                if status >= 500:
                    problems.append(f"{method} {entry.name}: {status}")
        assert not problems, "Người chưa đăng nhập không được chuyển tới trang đăng nhập:\n" + "\n".join(problems)

    def _check(self, group: str) -> None:
        outcomes = self._walk(group)
        problems = [p for p in map(self._problems, outcomes) if p]
        assert not problems, f"{len(problems)} vi phạm phân quyền:\n" + "\n".join(problems)
        self._check_query_counts(group, outcomes)

    def test_walk_accounts_and_catalogues(self):
        self._check("accounts")

    def test_walk_plans(self):
        self._check("plans")

    def test_walk_reporting(self):
        self._check("reporting")

    def test_walk_consolidation_and_indicators(self):
        self._check("consolidation")

    def test_walk_areas(self):
        self._check("areas")

    def test_walk_api(self):
        self._check("api")

    def test_walk_cases(self):
        self._check("cases")

    def test_bad_query_parameters_never_answer_500(self):
        """Every page a persona may open, with nonsense in the filters people and links can send."""
        problems = []
        clients = {p: self._client(p) for p in USERNAMES}
        for entry in self.entries:
            if entry.name.startswith("admin:") or entry.methods and "GET" not in entry.methods:
                continue
            if "GET" not in self._methods(entry, clients):
                continue
            url, query = self._url(entry, self.world.a if self._needs_side(entry) else None)
            status, _ = self._request(clients[self._holder(entry)], "GET", url, {**query, **BAD_QUERY}, False)
            if status >= 500:
                problems.append(f"GET {entry.name}: {status}")
        assert not problems, "\n".join(problems)

    def test_every_namespace_is_in_a_group(self):
        grouped = {ns for namespaces in GROUPS.values() for ns in namespaces}
        assert {e.name.split(":")[0] for e in self.entries} <= grouped

    def _check_query_counts(self, group: str, outcomes: list[Outcome]) -> None:
        """Every answer of the walk against the reviewed baseline: the status of each (method, URL,
        side, persona) and the exact query count of each page that answers 200. A page a persona
        newly opens, or a query more, shows up here until someone reviews it."""
        measured: dict[str, Any] = {
            f"{o.method} {o.entry.name} {o.side or '-'} {o.persona}": [o.status, o.queries]
            if o.status == 200 and o.queries is not None
            else o.status
            for o in outcomes
        }
        stored = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
        mine = {k: v for k, v in stored.items() if k.split(" ")[1].split(":")[0] in GROUPS[group]}
        if os.environ.get("UPDATE_QUERY_COUNTS"):
            others = {k: v for k, v in stored.items() if k not in mine}
            merged = dict(sorted({**others, **measured}.items(), key=lambda kv: (kv[0].split(" ")[1], kv[0])))
            BASELINE.write_text(
                "{\n"
                + ",\n".join(f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in merged.items())
                + "\n}\n",
                encoding="utf-8",
            )
            return
        diffs = [f"{k}: {_show(mine.get(k))} → {_show(v)}" for k, v in sorted(measured.items()) if mine.get(k) != v]
        gone = [f"{k}: không còn trong lượt đi" for k in mine if k not in measured]
        assert not diffs and not gone, (
            "Kết quả khác với access_baseline.json (trạng thái; số truy vấn của trang trả 200). Xem lại từng dòng; "
            "nếu đúng: UPDATE_QUERY_COUNTS=1 chạy một tiến trình (-p no:xdist):\n" + "\n".join(diffs + gone)
        )


def _show(value: Any) -> str:
    if value is None:
        return "chưa có"
    if isinstance(value, list):
        return f"{value[0]} ({value[1]} truy vấn)"
    return str(value)
