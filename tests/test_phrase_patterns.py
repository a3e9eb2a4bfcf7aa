"""Inside a check, a pack's phrase pattern searches with only the phrases the draft can hold
(`replydraft/packs/alternation.py`); it must find exactly what the full alternation finds."""

from __future__ import annotations

import json
import random
from pathlib import Path

from replydraft.packs import Section, available_languages, compile_phrases, load_pack
from replydraft.packs.alternation import phrase_scope
from replydraft.tokenizer import tokenize

DATA = Path(__file__).resolve().parent / "data"


def _pack_patterns():
    for language in available_languages():
        folder = load_pack(language).folder
        for toml in sorted(folder.glob("*.toml")):
            section = load_pack(language).section(toml.stem)
            # A file's own lists, and those of its tables (phrases.toml holds one table per code).
            tables = [(toml.stem, section)] + [
                (f"{toml.stem}/{name}", Section(name, value)) for name, value in section.values.items() if isinstance(value, dict)
            ]
            for where, table in tables:
                for key, value in table.values.items():
                    if key.endswith("_patterns") and isinstance(value, list) and value:
                        # As the checks compile it: with its %family% slots filled.
                        yield f"{language}/{where}/{key}", table.pattern(key)


def _texts(count: int) -> list[str]:
    texts = []
    for path in sorted((DATA / "blind").glob("*-r*.jsonl")) + sorted((DATA / "dev").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if isinstance(item.get("text"), str):
                texts.append(item["text"])
    rng = random.Random(14)
    singles = rng.sample(texts, count)
    # Several items in one text, as a draft holds several sentences of different kinds.
    return singles + [" ".join(rng.sample(texts, 6)) for _ in range(count // 3)]


def _found(pattern, text, pos=0, endpos=None):
    endpos = len(text) if endpos is None else endpos
    return [(m.span(), m.group(0)) for m in pattern.finditer(text, pos, endpos)]


def test_narrowed_patterns_find_what_the_full_alternation_finds():
    patterns = list(_pack_patterns())
    assert len(patterns) > 100
    differences = []
    for text in _texts(120):
        doc = tokenize(text)
        with phrase_scope(text, [s.text for s in doc.sentences]):
            for name, pattern in patterns:
                full = pattern._full
                if _found(pattern, text) != _found(full, text):
                    differences.append((name, text))
                    continue
                if not pattern.can_match(text) and full.search(text):
                    differences.append((name, "can_match", text))
                for sentence in doc.sentences:
                    s = sentence.text
                    ours, theirs = pattern.search(s, 1), full.search(s, 1)
                    if (ours and (ours.span(), ours.group(0))) != (theirs and (theirs.span(), theirs.group(0))):
                        differences.append((name, "search", s))
                    ours, theirs = pattern.match(s), full.match(s)
                    if (ours and ours.span()) != (theirs and theirs.span()):
                        differences.append((name, "match", s))
    assert differences == []


def test_outside_a_check_the_full_pattern_runs():
    pattern = compile_phrases(["review", "enqu[eê]te", r"\w*korting"])
    assert pattern.search("Geeft u ons een review?").group(0) == "review"
    assert pattern.can_match("niets hier")  # no scope: nothing is known about the text
    with phrase_scope("niets hier", ["niets hier"]):
        assert not pattern.can_match("niets hier")
        assert pattern.search("niets hier") is None
        assert pattern.search("een review van elders").group(0) == "review"  # not part of the scope's text
