"""Where the shipped prompts, policies and word lists are, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _shipped(name: str) -> Path:
    # A wheel carries the folder inside the package; a checkout or editable install has it at the top.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"replydraft is installed without its {name}/ folder (looked in {_PACKAGE})")


def prompts_dir() -> Path:
    return _shipped("prompts")


def policies_dir() -> Path:
    return _shipped("policies")
