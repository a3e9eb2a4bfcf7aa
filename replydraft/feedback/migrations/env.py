"""Alembic's entry point for the feedback store; `replydraft.feedback.store.migrate` passes the connection."""

from alembic import context

from replydraft.feedback.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
