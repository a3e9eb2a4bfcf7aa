"""check() stays linear in its input: three 1 MB worst-case shapes, each well within a generous limit.

Before, a 10,000-letter word took 6.8 s (the Dutch compound splitter tried every cut, each a
wordfreq lookup) and 224 KB of short paragraphs 9.7 s (syntok padded every paragraph with its
offset in spaces); at 1 MB both took far longer than the limit here. The limit (30 s of CPU time for
1 MB, five to ten times what it takes) is meant to fail only on superlinear behaviour, never on a
busy machine: CPU time does not count the time other processes hold the cores.
benchmarks/check_speed.py prints the same shapes at 250 KB, 500 KB and 1 MB.
"""

from __future__ import annotations

import random
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from syntok.tokenizer import Tokenizer
from wordfreq import get_frequency_dict, zipf_frequency

from replydraft import check
from replydraft.checks import readability
from replydraft.text import _syntok_tokens, tokenize

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from check_speed import MB, SHAPES  # noqa: E402

LIMIT_SECONDS = 30
# CPU time of 1 MB over 250 KB: about 4 when linear, 16 when quadratic. Below 250 KB's floor the
# measurement is too small to divide by.
GROWTH_LIMIT = 8
FLOOR_SECONDS = 0.25


@contextmanager
def _deadline(seconds: int):
    """Abort the block after `seconds` (SIGALRM, where there is one), rather than run on for minutes."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum, frame):
        raise TimeoutError(f"check() ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _cpu_seconds(text: str) -> float:
    started = time.process_time()
    check(text, language="nl")
    return time.process_time() - started


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_one_megabyte_is_checked_in_linear_time(shape):
    check("Dit is een korte zin om de tabellen te laden.", language="nl")
    make = SHAPES[shape]
    text = make(MB)
    assert len(text) == MB
    # Wall clock, for both runs and with room for a busy machine: stops a quadratic run (10 minutes and more).
    with _deadline(LIMIT_SECONDS * 10):
        small = _cpu_seconds(make(MB // 4))
        big = _cpu_seconds(text)
    assert big < LIMIT_SECONDS, f"{shape}: check() of 1 MB took {big:.1f} s of CPU"
    assert big < GROWTH_LIMIT * max(small, FLOOR_SECONDS), (
        f"{shape}: 1 MB took {big:.2f} s of CPU, 250 KB {small:.2f} s: grows faster than linearly"
    )


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_offsets_stay_exact_on_the_shapes(shape):
    text = SHAPES[shape](MB // 10)
    doc = tokenize(text)
    assert doc.sentences
    for sentence in doc.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.value


def test_paragraphs_are_tokenised_at_their_offsets():
    text = "Beste mevrouw Jansen,\n\nUw pakket komt morgen.\n\n\n  Dr. Smit belt u. Groet,\nPiet"
    doc = tokenize(text)
    assert [s.text for s in doc.sentences] == [
        "Beste mevrouw Jansen,", "Uw pakket komt morgen.", "Dr. Smit belt u.", "Groet,", "Piet",
    ]
    for sentence in doc.sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_syntok_tokens_match_syntok():
    """The fast path for plain words yields exactly syntok's own tokens (value, spacing, offset)."""
    tokenizer = Tokenizer(replace_not_contraction=False)
    pieces = list("aAzZ09 .,;:!?'’ʼ´-_()[]{}\"“”…\n\t\u00a0\u200béÉçßǅⓐ—‐") + [
        "...", "iPhone", "don't", "e-mail", "U", "u", "z.s.m.", "COVID19", "a1", "1a", "nr.", "(zie", "art.3",
        "pakket.", "Jansen,", "OK!", "e\u0301", "ĳ",
    ]
    rng = random.Random(5)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected = [(t.spacing, t.value, t.offset) for t in tokenizer.tokenize(text)]
        assert [(t.spacing, t.value, t.offset) for t in _syntok_tokens(text)] == expected, repr(text)


def test_longest_word_bound_holds_for_wordfreq():
    """No wordfreq entry reaches the bound, nor a Dutch compound of two words with zipf 2.5 or more."""
    for language in ("nl", "en"):
        assert max(map(len, get_frequency_dict(language))) < readability._LONGEST_WORD
    least = 10 ** (2.5 - 0.005 - 9)  # zipf = log10(frequency) + 9, rounded to two decimals
    common = max(len(w) for w, frequency in get_frequency_dict("nl").items() if frequency >= least)
    assert zipf_frequency("wereldgezondheidsorganisatie", "nl") >= 2.5
    assert 2 * common + len("en") <= readability._LONGEST_WORD


def test_long_compounds_keep_their_verdict_and_longer_runs_are_rare():
    assert not readability.is_rare("ziektekostenverzekeringsmaatschappij", "nl", 3.0)  # 36 letters, two common parts
    assert not readability.is_rare("klantenservicemedewerker", "nl", 3.0)
    assert readability.is_rare("arbeidsongeschiktheidsverzekering", "nl", 3.0)
    run = "klantenservicemedewerker" * 10_000
    started = time.perf_counter()
    assert readability.is_rare(run, "nl", 3.0)
    assert readability.syllables(run, "nl") > 10_000
    assert time.perf_counter() - started < 5
