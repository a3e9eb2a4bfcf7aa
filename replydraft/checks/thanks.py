"""thanks_not_accepted: the customer thanked us and the draft never accepts the thanks."""

from __future__ import annotations

from ..types import Finding
from .base import CheckContext


def detect(ctx: CheckContext) -> list[Finding]:
    return []
