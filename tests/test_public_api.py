"""The library's public names are a contract: this list changes only on purpose, and every name resolves."""

from __future__ import annotations

import importlib
import subprocess
import sys

import replydraft

PUBLIC = [
    "Analysis", "BackendConfigError", "BackendError", "CheckReport", "ConfigError", "DraftResult", "Email",
    "FakeBackend", "FeedbackStore", "Finding", "InputError", "ModelOutputError", "OpenAIBackend", "Policy",
    "PolicyError", "Promise", "ReplydraftError", "UsageError", "acheck", "adraft_reply", "check", "draft_reply",
    "load_policy", "read_email", "record_outcome",
]


def test_the_public_names_are_pinned_and_resolve():
    assert replydraft.__all__ == PUBLIC
    for name in PUBLIC:
        assert getattr(replydraft, name) is not None


def test_importing_the_package_warns_nothing_and_loads_no_database_layer():
    """No import-time side effects: no warnings, and the feedback store's SQLAlchemy only when it is used."""
    code = ("import sys, warnings; warnings.simplefilter('error'); import replydraft; "
            "print('sqlalchemy' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False" and shown.stderr == ""


def test_every_subpackage_imports_on_its_own():
    for name in ("replydraft.ingest", "replydraft.pipeline", "replydraft.checks", "replydraft.masking",
                 "replydraft.feedback", "replydraft.evaluation", "replydraft.backends"):
        importlib.import_module(name)
