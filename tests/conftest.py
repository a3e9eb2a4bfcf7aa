from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def _data_home(tmp_path_factory):
    return tmp_path_factory.mktemp("xdg-data")


@pytest.fixture(autouse=True)
def _no_backend_environment(monkeypatch, _data_home):
    """Tests never reach a real model by accident: the environment's keys and URLs are cleared. The
    user data directory (the default feedback store) is a temporary one, never the real home's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(_data_home))
    for name in ("OPENAI_API_KEY", "REPLYDRAFT_BASE_URL", "REPLYDRAFT_MODEL", "REPLYDRAFT_STRUCTURED_OUTPUT",
                 "REPLYDRAFT_LOCAL_MODEL", "REPLYDRAFT_TIMEOUT", "REPLYDRAFT_DATABASE_URL", "REPLYDRAFT_STORE_KEY",
                 "REPLYDRAFT_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server: the one .ci/run started (REPLYDRAFT_TEST_DATABASE_URL), or one started here
    with scripts/test-postgres. Where PostgreSQL is not installed the tests skip, except in CI, where they fail."""
    url = os.environ.get("REPLYDRAFT_TEST_DATABASE_URL")
    if url:
        yield url
        return
    try:
        started = subprocess.run([str(ROOT / "scripts" / "test-postgres"), "start", "--no-fsync"], capture_output=True,
                                 text=True, timeout=120, check=True).stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL for the feedback store's tests: {exc}")
        pytest.skip(f"PostgreSQL is not available here: {exc}")
    try:
        yield started[0]
    finally:
        subprocess.run([str(ROOT / "scripts" / "test-postgres"), "stop", started[1]], capture_output=True, timeout=120)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the test server, dropped afterwards."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = postgres_server.replace("postgresql://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The feedback store's database: a SQLite file, then a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/feedback.sqlite3"
    return request.getfixturevalue("postgres_url")
