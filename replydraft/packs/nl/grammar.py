"""Dutch rules that must be code: past participles, the passive, subordinate clauses, Latinate verb forms.

The word lists these rules use live in readability.toml ([passive], [clauses]) and the pack's *.txt files.
"""

from __future__ import annotations

from functools import cache

from .. import load_pack


@cache
def _words(key: str) -> frozenset[str]:
    section = load_pack("nl").section("readability")
    for table in ("passive", "clauses"):
        if key in section.get(table, {}):
            return frozenset(section[table][key].split())
    raise KeyError(key)


@cache
def _zijn_participles() -> frozenset[str]:
    return load_pack("nl").words("zijn_participles")


@cache
def _separable() -> tuple[str, ...]:
    return tuple(_words("separable"))


def is_participle(word: str) -> bool:
    if len(word) < 5 or word in _words("not_participles"):
        return False
    stem = word
    for particle in _separable():
        if stem.startswith(particle + "ge") and len(stem) > len(particle) + 4:
            stem = stem[len(particle) :]
            break
    if stem.startswith("ge"):
        return stem.endswith(("d", "t")) or (stem.endswith("en") and len(stem) >= 7)
    if stem.startswith(("be", "ver", "ont", "her", "er")):
        return stem.endswith(("d", "t")) or word in _zijn_participles()
    return False


def is_passive(words: list[str]) -> bool:
    """`words`: the sentence's alphabetic words, lower-cased."""
    present = set(words)
    worden = not present.isdisjoint(_words("worden"))
    if not worden and present.isdisjoint(_words("zijn")):
        return False
    participles = [w for w in words if is_participle(w)]
    if worden:
        return bool(participles)
    if not present.isdisjoint(_words("hebben")):
        return False  # "Ik ben blij dat u het heeft besteld": the participle belongs to hebben
    return any(p not in _zijn_participles() for p in participles)


def subordinate_clauses(tokens, subordinators: frozenset[str], relatives: frozenset[str]) -> int:
    """`tokens`: the sentence's tokens (with `.lower` and `.value`)."""
    count = 0
    conjunctions = _words("conjunctions")
    for i, token in enumerate(tokens):
        word = token.lower
        if word not in conjunctions and word not in relatives and word not in subordinators:
            continue
        prev = tokens[i - 1].value if i else ""
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if word in conjunctions:
            subjects = _words("of_subject_next" if word == "of" else "subject_next")
            count += prev == "," or (i > 0 and nxt in subjects)
        elif word in relatives:
            count += prev == ","
        elif word in subordinators:
            count += 1
    return count


def lemma(word: str) -> str:
    """The infinitive of a Latinate -eren verb form ("geïmplementeerd", "faciliteert" -> "-eren"); else the word."""
    for ending in ("eerden", "eerde", "eerd", "eert"):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            stem = word[: -len(ending)]
            if ending.startswith("eerd") and stem.startswith("ge"):
                stem = stem[2:].replace("ï", "i", 1) if stem[2:3] == "ï" else stem[2:]
            return stem + "eren"
    return word


def latinate_verb(word: str, zipf) -> bool:
    """An -eren infinitive stressed on -eren ("implementeren": "implementeert"), not a native verb on -er
    ("veranderen": "verandert"): told apart by which third-person form the language uses more."""
    if word.endswith(("iseren", "ificeren")):
        return True
    if not word.endswith("eren") or len(word) < 8:
        return False
    stem = word[:-4]
    return zipf(stem + "eert") > zipf(stem + "ert")
