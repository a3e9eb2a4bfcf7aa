"""The feedback store's tables (SQLAlchemy Core), as the newest migration leaves them.

Nothing here holds a customer's value: mails, analyses, drafts and sent texts are stored masked, and a
masked value survives only as its keyed hash (HMAC-SHA256 with REPLYDRAFT_STORE_KEY), so that an
outcome's sent text can be masked with the same placeholders as its draft.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

drafts = Table(
    "drafts", metadata,
    Column("draft_id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("ticket_id", String(200), index=True),
    Column("policy", String(200), nullable=False),
    Column("model", String(200), nullable=False),
    Column("prompt_hash", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("language", String(8)),
    Column("register", String(16)),
    Column("findings", JSON, nullable=False),  # [{"code", "severity", "message"}], messages masked
    Column("mail", JSON, nullable=False),  # {"subject", "body", "history"}, masked
    Column("analysis", JSON),  # the Analysis, masked
    Column("draft", Text, nullable=False),  # masked
    Column("timings_ms", JSON, nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("value_hashes", JSON),  # {keyed hash: placeholder} of every masked value; no value itself
)

outcomes = Table(
    "outcomes", metadata,
    Column("draft_id", String(32), ForeignKey("drafts.draft_id", ondelete="CASCADE"), primary_key=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False, index=True),
    Column("outcome", String(16), nullable=False),  # "sent" | "discarded"
    Column("agent", String(200)),
    Column("sent_text", Text),  # masked with the draft's placeholders
    Column("similarity", Float),  # character-level, draft vs sent text, 0..1
    Column("changed_sentences", JSON),  # [{"draft": str, "sent": str}], masked
)

TABLES_BY_DRAFT = (outcomes,)  # every table that holds rows about a draft, besides drafts itself
