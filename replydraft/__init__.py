"""replydraft: draft replies to customer e-mails, checked before anyone sees them.

    from replydraft import draft_reply, check, FakeBackend
    report = check("Als u een review achterlaat, krijgt u korting.", language="nl")
    report.status   # 'needs_review': help made conditional
"""

from .backends import FakeBackend
from .checks import acheck, check
from .errors import BackendConfigError, BackendError, ConfigError, InputError, ModelOutputError, PolicyError, ReplydraftError, UsageError
from .ingest import read_email
from .pipeline import adraft_reply, draft_reply
from .policy import Policy, load_policy
from .types import Analysis, CheckReport, DraftResult, Email, Finding, Promise

__all__ = [
    "Analysis", "BackendConfigError", "BackendError", "CheckReport", "ConfigError", "DraftResult", "Email",
    "FakeBackend", "FeedbackStore", "Finding", "InputError", "ModelOutputError", "OpenAIBackend", "Policy",
    "PolicyError", "Promise", "ReplydraftError", "UsageError", "acheck", "adraft_reply", "check", "draft_reply",
    "load_policy", "read_email", "record_outcome",
]


def __getattr__(name: str):
    # Heavy dependencies are imported where used: SQLAlchemy for the feedback store, the OpenAI SDK.
    if name in ("FeedbackStore", "record_outcome"):
        from . import feedback

        return getattr(feedback, name)
    if name == "OpenAIBackend":  # the OpenAI SDK is slow to import
        from .backends.openai_backend import OpenAIBackend

        return OpenAIBackend
    raise AttributeError(f"module 'replydraft' has no attribute {name!r}")
__version__ = "0.1.0"
