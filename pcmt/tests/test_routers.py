"""The read-replica router: consolidation and dashboard reads to `replica`, everything else to `default`."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import RequestFactory, override_settings

from accounts.models import User
from pcmt.routers import ReadReplicaRouter, ReplicaReadsMiddleware, replica_reads
from reporting.models import DataValue

WITH_REPLICA = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}


@override_settings(DATABASES=WITH_REPLICA)
def test_reads_go_to_the_replica_only_inside_marked_requests():
    router = ReadReplicaRouter()
    assert router.db_for_read(DataValue) == "default"
    with replica_reads():
        assert router.db_for_read(DataValue) == "replica"
        # Who is signed in and with which rights: always the primary.
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(User) == "default"
        assert router.db_for_write(DataValue) == "default"
    assert router.db_for_read(DataValue) == "default"
    assert router.allow_migrate("default", "reporting") and not router.allow_migrate("replica", "reporting")


def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert ReadReplicaRouter().db_for_read(DataValue) == "default"


@override_settings(DATABASES=WITH_REPLICA)
def test_the_middleware_marks_consolidation_and_dashboard_gets_only():
    seen = []
    middleware = ReplicaReadsMiddleware(lambda request: seen.append(ReadReplicaRouter().db_for_read(DataValue)))
    factory = RequestFactory()
    middleware(factory.get("/tong-hop/tinh/66/"))
    middleware(factory.get("/"))
    middleware(factory.post("/tong-hop/tinh/66/noi-dung/"))
    middleware(factory.get("/bao-cao/nhap/"))
    assert seen == ["replica", "replica", "default", "default"]


def test_settings_install_the_router_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCMT_", "DJANGO_"))}
    env.update(PCMT_READ_REPLICA_URL="postgres://reader@10.0.0.2:5432/pcmt", DJANGO_SETTINGS_MODULE="pcmt.settings")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASE_ROUTERS, s.DATABASES['replica']['HOST'], 'pcmt.routers.ReplicaReadsMiddleware' in s.MIDDLEWARE)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['pcmt.routers.ReadReplicaRouter'] 10.0.0.2 True"
