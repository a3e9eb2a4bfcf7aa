"""The feedback store: every draft the service makes and what the agent did with it, in one database.

SQLite in the user data directory is the default, for one process. A team that runs several service
replicas points them all at one PostgreSQL database with REPLYDRAFT_DATABASE_URL; the replicas keep no
other state. Migrations (Alembic) run when a store is opened; replicas that start together take turns
(a PostgreSQL advisory lock).
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

import platformdirs
from sqlalchemy import create_engine, delete, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

from ..errors import ConfigError, InputError
from ..ingest import reject_binary
from ..ingest.headers import one_line
from ..types import DraftResult, Email
from .edits import changed_sentences, outcome_kind, similarity
from .keyed import mask_for_storage, mask_sent
from .schema import TABLES_BY_DRAFT, drafts, outcomes

DATABASE_URL_ENV = "REPLYDRAFT_DATABASE_URL"
STORE_KEY_ENV = "REPLYDRAFT_STORE_KEY"
RETENTION_ENV = "REPLYDRAFT_RETENTION_DAYS"
OUTCOMES = ("sent", "discarded")
MAX_SENT_CHARS = 50_000  # a reply an agent sends; longer is not a reply, and the edit's cost grows with it
_MIGRATION_LOCK = 7_262_521  # any fixed number: the advisory lock replicas share while migrating
_MIN_KEY_CHARS = 16


class UnknownDraft(InputError):
    """An outcome for a draft_id the store has never seen (or has forgotten)."""


def default_url() -> str:
    path = Path(platformdirs.user_data_dir("replydraft")) / "feedback.sqlite3"
    return f"sqlite:///{path}"


def _engine(url: str) -> Engine:
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]  # psycopg 3, the maintained driver
    try:
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            _sqlite_settings(engine)
            return engine
        # No pre-ping (a round trip per write): after a database restart one write fails and the pool renews.
        return create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise ConfigError(f"{DATABASE_URL_ENV}: cannot use {url.split('@')[-1]!r}: {exc}") from None


def _sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # transactions begin below, not inside the driver
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A write lock from the start: two deferred transactions that both upgrade to writing fail at
        # once with "database is locked" instead of waiting their turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def store_key(url: str) -> bytes:
    """REPLYDRAFT_STORE_KEY; for a SQLite file without it, a random key kept beside the file (mode 600)."""
    configured = os.environ.get(STORE_KEY_ENV, "")
    if configured:
        if len(configured) < _MIN_KEY_CHARS:
            raise ConfigError(f"{STORE_KEY_ENV} is too short: use at least {_MIN_KEY_CHARS} random characters")
        return configured.encode()
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        raise ConfigError(f"{STORE_KEY_ENV} is not set: replicas that share a database must share the key that hashes "
                          "its masked values; set it to a long random secret, e.g. python -c 'import secrets; "
                          "print(secrets.token_hex(32))'")
    path = Path(url.removeprefix("sqlite:///") + ".key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def retention_days(configured: int | None = None) -> int | None:
    """REPLYDRAFT_RETENTION_DAYS, else the service config's retention_days; None keeps everything."""
    raw = os.environ.get(RETENTION_ENV, "")
    if raw.strip():
        try:
            days = int(raw)
        except ValueError:
            raise ConfigError(f"{RETENTION_ENV} must be a whole number of days, got {raw!r}") from None
    else:
        days = configured
    if days is not None and days < 1:
        raise ConfigError(f"the retention must be at least 1 day, got {days} ({RETENTION_ENV} or retention_days)")
    return days


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; everything is stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


class FeedbackStore:
    """Drafts, outcomes and reports over one database; thread-safe (one engine, a pool of connections)."""

    def __init__(self, url: str | None = None, key: bytes | None = None, *, migrate: bool = True) -> None:
        self.url = url or os.environ.get(DATABASE_URL_ENV) or default_url()
        self.key = key if key is not None else store_key(self.url)
        self.engine = _engine(self.url)
        # One statement per write, committed as it runs: on PostgreSQL a write is then one round trip, not
        # four (BEGIN, statement, COMMIT). SQLite keeps its BEGIN IMMEDIATE transaction (see _sqlite_settings).
        self._single = (self.engine.execution_options(isolation_level="AUTOCOMMIT")
                        if self.engine.dialect.name == "postgresql" else self.engine)
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------------------

    def migrate(self, revision: str = "head") -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        try:
            with self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        except OperationalError as exc:
            raise ConfigError(f"cannot open the feedback store at {self.url.split('@')[-1]}: {exc.orig}") from None

    def revision(self) -> str | None:
        from alembic.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    # --- writing ------------------------------------------------------------------------------

    def record_draft(self, result: DraftResult, email: Email, *, policy: str, now: datetime | None = None) -> None:
        """Store one draft, masked; its keyed value hashes go beside it."""
        if not result.draft_id:
            raise InputError("a DraftResult without a draft_id cannot be recorded")
        masked = mask_for_storage(email, result, self.key)
        row = {
            "draft_id": result.draft_id, "created_at": now or _now(), "ticket_id": email.ticket_id,
            "policy": policy, "model": result.model, "prompt_hash": result.prompt_hash, "status": result.status,
            "language": result.checks.language if result.checks else None,
            "register": result.checks.register if result.checks else None,
            "findings": masked.findings, "mail": masked.mail, "analysis": masked.analysis, "draft": masked.draft,
            "timings_ms": result.timings_ms, "prompt_tokens": result.prompt_tokens,
            "completion_tokens": result.completion_tokens, "value_hashes": masked.hashes,
        }
        with self._single.begin() as connection:
            connection.execute(drafts.insert(), row)

    def record_outcome(self, draft_id: str, outcome: str, *, sent_text: str | None = None, agent: str | None = None,
                       now: datetime | None = None) -> dict:
        """What the agent did with a draft; the last outcome reported for a draft is the one kept."""
        for name, value in (("draft_id", draft_id), ("sent_text", sent_text), ("agent", agent)):
            if value is not None:
                reject_binary(value, name)  # PostgreSQL stores no NUL in text; nor does any reply
        if outcome not in OUTCOMES:
            raise InputError(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
        if sent_text is not None and outcome != "sent":
            raise InputError("sent_text goes with outcome 'sent' only")
        if sent_text is not None and len(sent_text) > MAX_SENT_CHARS:
            raise InputError(f"sent_text is {len(sent_text)} characters; a reply is at most {MAX_SENT_CHARS}")
        if agent is not None and len(agent) > 200:
            raise InputError("agent is at most 200 characters")
        unknown = UnknownDraft(f"no draft with draft_id {draft_id!r} (unknown, or removed by retention or forget)")
        with self._single.connect() as connection:
            found = connection.execute(select(drafts.c.draft, drafts.c.value_hashes).where(drafts.c.draft_id == draft_id)).first()
        if found is None:
            raise unknown
        row = {"draft_id": draft_id, "recorded_at": now or _now(), "outcome": outcome, "agent": agent,
               "sent_text": None, "similarity": None, "changed_sentences": None}
        if sent_text is not None:
            sent = mask_sent(sent_text, found.value_hashes or {}, self.key)
            row.update(sent_text=sent, similarity=similarity(found.draft, sent), changed_sentences=changed_sentences(found.draft, sent))
        try:
            with self._single.begin() as connection:
                _upsert(connection, row)
        except IntegrityError:  # forgotten between the read and the write
            raise unknown from None
        return {"draft_id": draft_id, "outcome": outcome, "similarity": row["similarity"],
                "kind": outcome_kind(outcome, row["similarity"])}

    # --- erasing ------------------------------------------------------------------------------

    def forget_ticket(self, ticket_id: str) -> int:
        """Remove every row about one ticket (a GDPR erasure request); the number of drafts removed."""
        ticket_id = one_line(ticket_id)  # as ingest stored it: trimmed, single spaces
        with self.engine.begin() as connection:
            ids = select(drafts.c.draft_id).where(drafts.c.ticket_id == ticket_id)
            return self._delete(connection, ids, drafts.c.ticket_id == ticket_id)

    def purge(self, days: int, now: datetime | None = None) -> int:
        """Remove drafts (and their outcomes) older than `days`; the number of drafts removed."""
        cutoff = (now or _now()) - timedelta(days=days)
        with self.engine.begin() as connection:
            ids = select(drafts.c.draft_id).where(drafts.c.created_at < cutoff)
            return self._delete(connection, ids, drafts.c.created_at < cutoff)

    @staticmethod
    def _delete(connection: Connection, ids, where) -> int:
        for table in TABLES_BY_DRAFT:  # explicitly, not by cascade: SQLite only cascades with foreign_keys on
            connection.execute(delete(table).where(table.c.draft_id.in_(ids)))
        return connection.execute(delete(drafts).where(where)).rowcount

    # --- reading ------------------------------------------------------------------------------

    def rows(self, *, since: datetime | None = None, policy: str | None = None) -> list[dict]:
        """Every draft (optionally since a moment, for one policy) with its outcome, oldest first."""
        query = select(drafts, outcomes.c.recorded_at, outcomes.c.outcome, outcomes.c.agent, outcomes.c.sent_text,
                       outcomes.c.similarity, outcomes.c.changed_sentences).select_from(
            drafts.outerjoin(outcomes, outcomes.c.draft_id == drafts.c.draft_id)).order_by(drafts.c.created_at)
        if since is not None:
            query = query.where(drafts.c.created_at >= since)
        if policy is not None:
            query = query.where(drafts.c.policy == policy)
        with self.engine.connect() as connection:
            found = [dict(r._mapping) for r in connection.execute(query)]
        for row in found:
            row["created_at"], row["recorded_at"] = _aware(row["created_at"]), _aware(row["recorded_at"])
        return found


def _upsert(connection: Connection, row: dict) -> None:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(outcomes).values(row)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[outcomes.c.draft_id], set_={k: statement.excluded[k] for k in row if k != "draft_id"}))
