"""English rules that must be code: the passive, subordinate clauses, word forms of Latinate verbs.

The word lists these rules use live in readability.toml ([passive], [clauses]) and the pack's *.txt files.
"""

from __future__ import annotations

from functools import cache

from .. import load_pack


@cache
def _words(key: str) -> frozenset[str]:
    section = load_pack("en").section("readability")
    for table in ("passive", "clauses"):
        if key in section.get(table, {}):
            return frozenset(section[table][key].split())
    raise KeyError(key)


def is_passive(words: list[str]) -> bool:
    """`words`: the sentence's alphabetic words, lower-cased. A form of "be" with a participle soon after."""
    for i, w in enumerate(words):
        if w not in _words("be"):
            continue
        for nxt in words[i + 1 : i + 4]:
            if nxt in _words("not_passive"):
                break
            if (nxt.endswith("ed") and len(nxt) > 4) or nxt in _words("irregular_participles"):
                return True
    return False


def subordinate_clauses(tokens, subordinators: frozenset[str], relatives: frozenset[str]) -> int:
    """`tokens`: the sentence's tokens (with `.lower` and `.value`)."""
    count = 0
    for i, token in enumerate(tokens):
        word = token.lower
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if word in _words("conjunctions"):
            count += nxt in _words("subject_next")
        elif word in subordinators:
            count += 1
    return count


def lemma(word: str) -> str:
    """The base form of a regular verb form ("escalated", "mitigating" -> "escalate", "mitigate"); else the word."""
    for ending, base in (("ated", "ate"), ("ating", "ate"), ("ates", "ate"), ("ized", "ize"), ("izing", "ize"),
                         ("ised", "ise"), ("ising", "ise")):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)] + base
    return word


def latinate_verb(word: str, zipf) -> bool:
    return False
