"""check() stays linear in its input: three 1 MB worst-case shapes, each well within a generous limit.

Before, a 10,000-letter word took 6.8 s (the Dutch compound splitter tried every cut, each a
wordfreq lookup) and 224 KB of short paragraphs 9.7 s (syntok padded every paragraph with its
offset in spaces); at 1 MB both took far longer than the limit here. The limit (30 s of CPU time for
1 MB, five to ten times what it takes) is meant to fail only on superlinear behaviour, never on a
busy machine: CPU time does not count the time other processes hold the cores.
benchmarks/check_speed.py prints the same shapes at 250 KB, 500 KB and 1 MB.
"""

from __future__ import annotations

import gc
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
from replydraft.checks import readability_words as readability
from replydraft.tokenizer import _syntok_tokens, tokenize

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
    """CPU time of one check, without the garbage collector: a full collection costs what the whole test
    process holds, not what the text does, and made a 40 KB check look superlinear in a full test run."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.process_time()
        check(text, language="nl")
        return time.process_time() - started
    finally:
        if enabled:
            gc.enable()


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


def _repeat(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


# Shapes that were quadratic in one detector (the times are CPU seconds at 8,000 -> 16,000 characters, before):
# "a-a-" / "1-1-" / "----" in the Dutch ask patterns ([\w-]* starting after every hyphen: 0.9 -> 3.7 s),
# "a'a'...1" in the Dutch address pattern (2.5 s at 4,000), "Als u ..." without a comma in the promise
# exceptions ([^,]* twice), and "a.a." in the address name words.
# Also fixed: "a-a-", "1-1-", "a.a.", "www." and "https://a.a." (the e-mail pattern started inside every
# run; injection.py's URL pattern; the [\w-]* offer patterns of packs/*/phrases.toml) and one run-on
# "sentence" of thousands of asks (conditionality.py searched the sentence once per ask).
ADVERSARIAL = {
    "hyphens": lambda size: "-" * size,
    "letter hyphen chain": lambda size: _repeat("a-", size),
    "digit hyphen chain": lambda size: _repeat("1-", size),
    "dotted chain": lambda size: _repeat("a.", size),
    "link of dotted labels": lambda size: "https://" + _repeat("a.", size - 8),
    "asks without a full stop": lambda size: _repeat("Als u een review geeft, ", size),
    "apostrophe chain with a number": lambda size: _repeat("a'", size - 2) + " 1",
    "house numbers everywhere": lambda size: _repeat("Kerkstraat a'a'a' 1 ", size),
}


@pytest.mark.parametrize("shape", sorted(ADVERSARIAL))
def test_adversarial_shapes_grow_linearly(shape):
    """Four times the text may take at most GROWTH_LIMIT times the CPU (quadratic would be 16)."""
    check("Dit is een korte zin om de tabellen te laden.", language="nl")
    make = ADVERSARIAL[shape]
    with _deadline(LIMIT_SECONDS * 10):
        small = _cpu_seconds(make(10_000))
        big = _cpu_seconds(make(40_000))
    assert big < LIMIT_SECONDS / 3, f"{shape}: 40 KB took {big:.1f} s of CPU"
    assert big < GROWTH_LIMIT * max(small, FLOOR_SECONDS / 5), (
        f"{shape}: 40 KB took {big:.2f} s of CPU, 10 KB {small:.2f} s: grows faster than linearly"
    )


def test_address_windows_find_what_the_whole_text_finds():
    """The Dutch address search looks only near house numbers and leading words, with the same matches."""
    from replydraft.masking import addresses

    pieces = ["Kerkstraat", "Laan", "van", "der", "De", "Prins", "Hendrikkade", "St.", "'t", "a'", "-", ",", " ", "  ",
              "\n", "12", "3", "1-II", "14 hs", "12a", ".", "aan", "straat", "Ab-cd", "bis", "weg", "Meerdervoort"]
    rng = random.Random(3)
    pattern = addresses._dutch()
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", " ", ", "]) for _ in range(rng.randint(1, 30)))
        whole = [m.span() for m in pattern.finditer(text)]
        windowed = [m.span() for start, end in addresses._windows(text) for m in pattern.finditer(text, start, end)]
        assert windowed == whole, repr(text)


def test_garbage_collector_is_restored_after_a_large_check():
    import gc

    assert gc.isenabled()
    check(_repeat("Ok.\n\n", 150_000), language="nl")
    assert gc.isenabled()
    gc.disable()
    try:
        check(_repeat("Ok.\n\n", 150_000), language="nl")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_promise_exception_keeps_its_matches():
    from replydraft.packs import load_pack

    pattern = load_pack("nl").section("promises").pattern("not_a_commitment")
    assert pattern.search("Als u dat wilt, kunt u de bon downloaden")
    assert pattern.search("Mocht je vragen hebben, dan kun je ons bellen")
    assert pattern.search("Als er iets is wat u wilt weten dan mag u ons bellen")
    assert not pattern.search("Als het pakket binnen is, sturen wij u een bericht")


def test_the_injection_checks_word_reader_is_linear_on_a_long_run_without_spaces():
    import time

    from replydraft.checks.injection_mail import letter_words as _letters

    started = time.process_time()
    _letters("a" * 400_000)
    assert time.process_time() - started < 10  # quadratic took about 2 minutes at this length
