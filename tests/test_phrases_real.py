"""dismissive_thanks, hollow_empathy and feedback_or_upsell judged by how a line is built, on phrasings the
pattern lists never held, and on the kinds of lines real support replies are full of (written here in our own
words). Word lists live in replydraft/packs/<lang>/phrases.toml; the logic in replydraft/checks/phrases.py."""

from __future__ import annotations

import pytest

from replydraft import check
from replydraft.checks.phrases import HOLLOW_EMPATHY
from replydraft.packs import load_pack


def fires(code: str, text: str, language: str) -> bool:
    return code in {f.code for f in check(text, language=language).findings}


@pytest.mark.parametrize("text, language, expected", [
    # The customer's thanks next to a line that waves it away or makes light of the help.
    ("Bedanken hoeft echt niet, het was in twee minuten geregeld, routinewerk.", "nl", True),
    ("Uw dankbaarheid is lief, maar daar is geen enkele aanleiding voor.", "nl", True),
    ("Honestly, no need to thank us, we do this for everyone.", "en", True),
    ("Your thank-you card was sweet but unnecessary.", "en", True),
    ("Thanks? There's no reason for that, it was a tiny fix.", "en", True),
    # Our own thanks, a 'no need' about a task, or thanks accepted: clean.
    ("Bedankt voor uw geduld. U hoeft niets meer te doen.", "nl", False),
    ("Thanks for the screenshots! No need to send the device in.", "en", False),
    ("Thank you, we were glad to help and it was a pleasure.", "en", False),
    ("Geen dank, fijn dat alles weer werkt!", "nl", False),
    ("No need to apologise for the late reply.", "en", False),
])
def test_dismissive_thanks_needs_the_customers_thanks_and_a_wave(text, language, expected):
    assert fires("dismissive_thanks", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # A sympathy, apology, understanding or receipt clause that names nothing of the case.
    ("Onze welgemeende excuses voor de overlast.", "nl", True),
    ("Uw e-mail is in goede orde bij ons binnengekomen.", "nl", True),
    ("We're so sorry for the hassle!", "en", True),
    ("I understand how upsetting this must be.", "en", True),
    ("We regret any inconvenience caused and appreciate your patience.", "en", True),
    # The same frames naming the customer's actual problem, or no sympathy at all: clean.
    ("Excuses dat uw factuur van maart twee keer is afgeschreven.", "nl", False),
    ("Sorry that the courier left your parcel at the wrong address on Monday.", "en", False),
    ("We received your meter reading of 1,204 kWh.", "en", False),
    ("No problem! The new card ships tomorrow.", "en", False),
    ("I apologize for the trouble you've had logging in to the app since the update.", "en", False),
])
def test_hollow_empathy_is_a_frame_with_nothing_specific(text, language, expected):
    assert fires("hollow_empathy", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # An ask whose object is a review, rating or survey; a pitch about an offer nobody asked for.
    ("Wilt u ons na dit gesprek een cijfer geven?", "nl", True),
    ("Heeft u al gehoord van onze Zorgeloos-verzekering? Nu met 10% korting.", "nl", True),
    ("If you have a minute, please leave us a five-star review.", "en", True),
    ("Did you know our Premium plan is only $3 a month more?", "en", True),
    # Confirming what the customer asked for, feedback already given, a document to review: clean.
    ("Zoals gevraagd heb ik uw abonnement verhoogd naar 200 Mbit voor € 45 per maand.", "nl", False),
    ("Dank voor het invullen van de enquête; uw opmerking over de app geven we door.", "nl", False),
    ("Please take a moment to review the attached quote.", "en", False),
    ("I'd recommend restarting the modem before you try again.", "en", False),
    ("The survey email was sent by mistake, please ignore it.", "en", False),
])
def test_feedback_or_upsell_is_an_ask_or_a_pitch(text, language, expected):
    assert fires("feedback_or_upsell", text, language) is expected


def test_the_finding_points_at_the_sentence_and_carries_the_registry_severity():
    text = "Uw pakket is onderweg. Denk er niet meer over na, het stelde niks voor."
    [found] = [f for f in check(text, language="nl").findings if f.code == "dismissive_thanks"]
    assert text[found.start:found.end].startswith("Denk er niet meer over na")
    assert found.severity == "warning" and found.rule == "reciprocity"


def test_each_language_pack_has_a_table_per_code():
    for language in ("nl", "en"):
        section = load_pack(language).section("phrases")
        for code in ("dismissive_thanks", "hollow_empathy", "feedback_or_upsell"):
            assert section.get(code), f"{language}: no [{code}] table in phrases.toml"


def test_a_language_without_a_pack_gets_no_phrase_findings():
    findings = check("Sorry for the inconvenience. Please rate us!", language="de").findings
    assert not {f.code for f in findings} & {"dismissive_thanks", "hollow_empathy", "feedback_or_upsell"}


def test_stock_apologies_stay_visible_to_the_mistake_check():
    # context.py strips these before looking for an admission of a mistake.
    assert HOLLOW_EMPATHY.patterns.search("Excuses voor het ongemak.")
    assert HOLLOW_EMPATHY.patterns.search("We apologize for any inconvenience caused.")
    assert not HOLLOW_EMPATHY.patterns.search("Het spijt me, dat was onze fout.")


def test_long_drafts_stay_fast():
    import time
    text = ("Sorry for the trouble, and thank you. Please rate us. " * 400).strip()
    start = time.perf_counter()
    check(text, language="en")
    assert time.perf_counter() - start < 5
