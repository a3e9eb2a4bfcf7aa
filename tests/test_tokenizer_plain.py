"""The tokenizer's plain-paragraph path must cut sentences exactly where syntok's segmenter cuts them.

`tokenizer._plain_segments` decides syntok's split at each terminal without running its state
machine, for paragraphs it calls plain; it must never disagree with syntok where it answers.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from syntok import segmenter

from replydraft import tokenizer

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

_WORDS = (
    "we bellen u morgen terug het pakket is verstuurd dank voor uw mail ik snap het graag gedaan de monteur komt "
    "Daarna U Dank Het De We Ik Graag Groet Jan Beste mevrouw Jansen Ok Ja Nee So The This Also However "
    "Dr dr nr Nr etc bijv incl Jan Feb Mar Dec Okt en II IV X a b U e A I 5 12 2343 12.30 1.500 z.s.m. d.d. "
    "info@example.nl www.example.nl auto's , : ; - ( ) \" ' ’ “ ” ... . . . ! ? ?! !! "
).split()


# Mostly what a plain paragraph holds, with the few things that change syntok's mind after a terminal.
_PLAIN_WORDS = (
    "we bellen u morgen terug het pakket is verstuurd dank voor uw mail Daarna U Dank Het De We Ik Graag Jan "
    "Mar Dec en 5 12 2343 Ok Ja a b X . . . . ! ? ?! , :"
).split()


def _paragraph(rng: random.Random) -> str:
    vocabulary = _PLAIN_WORDS if rng.random() < 0.5 else _WORDS
    words = [rng.choice(vocabulary) for _ in range(rng.randint(1, 25))]
    glue = [rng.choice([" ", " ", " ", "", "\n", "  "]) for _ in words]
    return "".join(w + g for w, g in zip(words, glue))


def _agrees(paragraph: str) -> bool:
    tokens = list(tokenizer._syntok_tokens(paragraph))
    plain = tokenizer._plain_segments(tokens)
    if plain is None:
        return True
    syntok = list(segmenter.segment(iter(tokens)))
    return [(s[0].offset, s[-1].offset) for s in plain] == [(s[0].offset, s[-1].offset) for s in syntok]


def test_plain_path_agrees_with_syntok_on_random_paragraphs():
    rng = random.Random(14)
    paragraphs = [_paragraph(rng) for _ in range(20_000)]
    answered = sum(tokenizer._plain_segments(list(tokenizer._syntok_tokens(p))) is not None for p in paragraphs)
    disagreeing = [p for p in paragraphs if not _agrees(p)]
    assert answered > 1_000  # the path is taken, so the comparison means something
    assert disagreeing == []


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the repository")
def test_plain_path_agrees_with_syntok_on_real_replies():
    paragraphs = []
    for name in ("ibm-agent-tweets-dev.jsonl", "bitext-replies-dev.jsonl"):
        for line in (SHARED / "real" / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            text = next((v for v in item.values() if isinstance(v, str) and len(v) > 20), "")
            paragraphs += [p for _, p in segmenter.preprocess_with_offsets(text)]
    assert len(paragraphs) > 1_000
    assert [p for p in paragraphs if not _agrees(p)] == []


def test_a_plain_reply_is_cut_into_its_sentences():
    doc = tokenizer.tokenize("Dank u wel. U krijgt het geld terug. we bellen u morgen. Groet!")
    assert [s.text for s in doc.sentences] == ["Dank u wel.", "U krijgt het geld terug. we bellen u morgen.", "Groet!"]
