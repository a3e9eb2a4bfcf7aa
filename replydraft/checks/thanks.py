"""thanks_not_accepted: the customer thanked us and the draft never accepts the thanks.

Reciprocity starts with accepting thanks warmly ("Graag gedaan, zo werken we graag samen."). The
analysis says whether the customer thanked us (`Analysis.thanks_given`); when it does, one sentence
of the draft has to accept the thanks. A sentence accepts when it matches the pack's
`acceptance_patterns` (`replydraft/packs/<lang>/thanks.toml`) and none of its `dismissive_patterns`:
a wave-away ("denk er maar niet over na", or any sentence `dismissive_thanks` flags) is no acceptance, and
neither is thanking the customer
back as if we were the ones helped ("Bedankt voor uw hulp"), which no acceptance pattern matches.
"""

from __future__ import annotations

from ..types import Finding
from .base import CheckContext, flag
from .phrases import detect_dismissive_thanks


def _accepts(ctx: CheckContext) -> bool:
    section = ctx.pack.section("thanks")
    accept, dismiss = section.pattern("acceptance"), section.pattern("dismissive")
    waved = {(f.start, f.end) for f in detect_dismissive_thanks(ctx)}
    return any(
        accept.search(s.text) and not dismiss.search(s.text) and (s.start, s.end) not in waved
        for s in ctx.doc.sentences
    )


def detect(ctx: CheckContext) -> list[Finding]:
    if ctx.analysis is None or not ctx.analysis.thanks_given or ctx.pack is None:
        return []
    if not ctx.pack.section("thanks").values or _accepts(ctx):
        return []
    return [flag(
        "thanks_not_accepted",
        "The customer thanks us and no sentence of the draft accepts the thanks; accept it warmly.",
        None,
        "Graag gedaan, zo werken we graag samen." if ctx.language == "nl" else "You're welcome, glad we could help.",
    )]
