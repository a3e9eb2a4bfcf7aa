"""Keyed hashes of each draft's masked values (to mask a sent text with the draft's placeholders) and
the sentences an agent changed.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("value_hashes", sa.JSON))
    with op.batch_alter_table("outcomes") as batch:
        batch.add_column(sa.Column("changed_sentences", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("outcomes") as batch:
        batch.drop_column("changed_sentences")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("value_hashes")
