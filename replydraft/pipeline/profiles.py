"""How many model calls a draft takes, how long each may be, and where a text phase stops."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..backends.base import Backend
from ..errors import ConfigError


@dataclass(frozen=True)
class Profile:
    """How many calls a draft takes and how long each may be.

    `full`: analysis, draft, B1 rewrite, one revision when the check fails (capable models).
    `lean`: analysis, a draft written in B1 directly (the plain-language rules inlined in the draft
    prompt), one revision (small models: the rewrite call is slow and mostly adds errors).
    Caps bound each phase below the policy's max_output_tokens; the stop sequences end a text
    phase at the prompt's closing REPLY>>> or the reply's own closing, so no call runs to its cap
    when its answer is done."""

    name: str
    rewrite: bool
    caps: dict = field(default_factory=dict)


TEXT_CAP = 500  # a B1 reply of ~250 words; longer is a loop
_ANALYSIS_CAPS = {"analysis": 800, "analysis_retry": 800}
PROFILES = {
    "full": Profile("full", rewrite=True, caps=_ANALYSIS_CAPS),
    "lean": Profile("lean", rewrite=False, caps=_ANALYSIS_CAPS),
}
# Not "MAIL>>>": a model that echoes the mail would stop inside the echo, and the reply after it would be lost.
MARKER_STOPS = ("REPLY>>>",)
CLOSING_STOPS = {"nl": "\nMet vriendelijke groet", "en": "\nKind regards"}


def profile_for(backend: Backend) -> Profile:
    """REPLYDRAFT_PROFILE (full, lean) when set, else the backend's own (the embedded model: lean), else full."""
    name = os.environ.get("REPLYDRAFT_PROFILE") or getattr(backend, "profile", "full")
    if name not in PROFILES:
        raise ConfigError(f"REPLYDRAFT_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
    return PROFILES[name]
