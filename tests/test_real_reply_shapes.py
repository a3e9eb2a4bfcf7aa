"""Shapes of real support replies that the readability statistics must read as a person does."""

from __future__ import annotations

from replydraft import check
from replydraft.checks.readability_words import rare_for_readers
from replydraft.tokenizer import tokenize


def test_a_link_ends_its_sentence_when_a_capital_follows():
    text = "Would you follow the steps here? https://example.com/help/a-b Let us know how it goes. See www.voorbeeld.nl/retour voor meer."
    sentences = [s.text for s in tokenize(text).sentences]
    assert sentences == [
        "Would you follow the steps here? https://example.com/help/a-b",
        "Let us know how it goes.",
        "See www.voorbeeld.nl/retour voor meer.",
    ]
    assert all(text[s.start : s.end] == s.text for s in tokenize(text).sentences)


def test_two_short_sentences_around_a_link_are_not_one_long_sentence():
    text = ("For more about joining the beta, please read our help article here: https://example.com/help/join-the-beta "
            "Please back up your saved games first, and tell us how it went.")
    report = check(text, language="en")
    assert not [r for r in report.b1.reasons if "over 25 words" in r]


def test_forms_of_common_words_are_not_rare():
    assert not rare_for_readers("restarting", "en", 3.0)
    assert not rare_for_readers("reinstalling", "en", 3.0)
    assert rare_for_readers("ontvankelijkheid", "nl", 3.0)
