"""Learning from what agents send: drafts and their outcomes, stored masked, reported, turned into eval items.

    store = FeedbackStore()                      # SQLite in the user data dir, or REPLYDRAFT_DATABASE_URL
    result = draft_reply(mail, store=store)      # a library caller opts in; the service always records
    record_outcome(result.draft_id, "sent", sent_text=final_reply, store=store)

What is stored, for how long, and how to erase it: docs/feedback.md.
"""

from __future__ import annotations

from .store import (
    DATABASE_URL_ENV,
    RETENTION_ENV,
    STORE_KEY_ENV,
    FeedbackStore,
    UnknownDraft,
)

__all__ = ["DATABASE_URL_ENV", "RETENTION_ENV", "STORE_KEY_ENV", "FeedbackStore", "UnknownDraft", "record_outcome"]


def record_outcome(draft_id: str, outcome: str, *, sent_text: str | None = None, agent: str | None = None,
                   store: FeedbackStore | None = None) -> dict:
    """Record what the agent did with a draft: "sent" (with the text as sent, when known) or "discarded".

    Returns {"draft_id", "outcome", "similarity", "kind"}; kind is as_is, edited, discarded or sent_unknown.
    Without `store`, the configured store is opened for this one call.
    """
    if store is not None:
        return store.record_outcome(draft_id, outcome, sent_text=sent_text, agent=agent)
    with FeedbackStore() as opened:
        return opened.record_outcome(draft_id, outcome, sent_text=sent_text, agent=agent)
