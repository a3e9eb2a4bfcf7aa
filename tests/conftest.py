from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _no_backend_environment(monkeypatch):
    """Tests never reach a real model by accident: the environment's keys and URLs are cleared."""
    for name in ("OPENAI_API_KEY", "REPLYDRAFT_BASE_URL", "REPLYDRAFT_MODEL", "REPLYDRAFT_STRUCTURED_OUTPUT",
                 "REPLYDRAFT_LOCAL_MODEL", "REPLYDRAFT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
