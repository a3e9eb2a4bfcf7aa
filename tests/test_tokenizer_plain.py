"""The tokenizer must cut sentences exactly where syntok's segmenter cuts them.

`tokenizer._plain_segments` decides syntok's split at each terminal without running its state
machine, for paragraphs (or stretches of one) it calls plain, and `_segments` hands the rest to syntok;
together they must never disagree with syntok.
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
    """The tokenizer's sentences (plain stretches cut by it, the rest by syntok) are syntok's own."""
    tokens = list(tokenizer._syntok_tokens(paragraph))
    ours = tokenizer._segments(tokens)
    syntok = list(segmenter.segment(iter(tokens)))
    return [(s[0].offset, s[-1].offset) for s in ours] == [(s[0].offset, s[-1].offset) for s in syntok]


def test_sentences_agree_with_syntok_on_random_paragraphs():
    rng = random.Random(14)
    paragraphs = [_paragraph(rng) for _ in range(20_000)]
    answered = sum(tokenizer._plain_segments(list(tokenizer._syntok_tokens(p))) is not None for p in paragraphs)
    disagreeing = [p for p in paragraphs if not _agrees(p)]
    assert answered > 1_000  # the plain path is taken, so the comparison means something
    assert disagreeing == []


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the repository")
def test_sentences_agree_with_syntok_on_real_replies():
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


def test_a_long_paragraph_is_cut_in_stretches_around_what_only_syntok_decides():
    paragraph = "We bellen u morgen. " * 50 + "Zie de bijlage (pagina 2). Bel nr. 12 of 020 734 2343. " + "Het pakket komt vrijdag. " * 50
    tokens = list(tokenizer._syntok_tokens(paragraph))
    assert tokenizer._plain_segments(tokens) is None  # not plain as a whole
    assert tokenizer._safe_cuts(tokens)  # yet cut into stretches
    assert _agrees(paragraph)
