"""The tables of the language packs' grounding.toml ("contact", "money") that the grounding checks read."""

from __future__ import annotations

from functools import lru_cache

from ..packs import Section, load_pack
from .base import CheckContext

CUE_WINDOW = 120  # characters before a value in which its cue must stand


def grounding_table(ctx: CheckContext, table: str) -> Section:
    """A table of the draft's pack; a language without a pack reads the English one."""
    return language_table((ctx.pack or load_pack("en")).language, table)


@lru_cache(maxsize=16)
def language_table(language: str, table: str) -> Section:
    return Section(table, load_pack(language).section("grounding").get(table, {}))
