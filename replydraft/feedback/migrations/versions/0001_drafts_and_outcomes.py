"""Drafts and their outcomes.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("draft_id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ticket_id", sa.String(200)),
        sa.Column("policy", sa.String(200), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("prompt_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("register", sa.String(16)),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("mail", sa.JSON, nullable=False),
        sa.Column("analysis", sa.JSON),
        sa.Column("draft", sa.Text, nullable=False),
        sa.Column("timings_ms", sa.JSON, nullable=False),
        sa.Column("prompt_tokens", sa.Integer, nullable=False),
        sa.Column("completion_tokens", sa.Integer, nullable=False),
    )
    op.create_index("ix_drafts_created_at", "drafts", ["created_at"])
    op.create_index("ix_drafts_ticket_id", "drafts", ["ticket_id"])
    op.create_table(
        "outcomes",
        sa.Column("draft_id", sa.String(32), sa.ForeignKey("drafts.draft_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("agent", sa.String(200)),
        sa.Column("sent_text", sa.Text),
        sa.Column("similarity", sa.Float),
    )
    op.create_index("ix_outcomes_recorded_at", "outcomes", ["recorded_at"])


def downgrade() -> None:
    op.drop_table("outcomes")
    op.drop_table("drafts")
