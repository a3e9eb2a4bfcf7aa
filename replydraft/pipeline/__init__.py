"""The pipeline: one customer mail in, one checked DraftResult out.

    prepare (language, register, masking, input budget)   steps.py
      -> analyse (validated JSON, the questions verified) analysis.py
      -> write (draft, B1 rewrite in the full profile)    writing.py
      -> gate and revise (post-check, one revision)       writing.py
      -> restore the customer's values, result            writing.py, steps.py

`steps` is a generator of model requests; `Drive` (driver.py) runs it for `draft_reply`,
`adraft_reply` and the eval's Batch API path. Profiles (profiles.py) say which calls a draft takes.
"""

from .analysis import analysis_schema, with_question_floor
from .driver import (
    Drive,
    adraft_reply,
    advance,
    draft_reply,
    draft_steps,
    finish,
    recorded,
    result_json,
)
from .profiles import PROFILES, Profile, profile_for
from .steps import AnalysisReady

__all__ = [
    "PROFILES", "AnalysisReady", "Drive", "Profile", "adraft_reply", "advance", "analysis_schema",
    "draft_reply", "draft_steps", "finish", "profile_for", "recorded", "result_json", "with_question_floor",
]
