"""Reciprocity: help without strings attached (`conditionality`) and thanks accepted (`thanks_not_accepted`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replydraft import check
from replydraft.packs import load_pack
from replydraft.types import Analysis

DEV = Path(__file__).resolve().parent / "data" / "dev"


def _items(name: str) -> list[dict]:
    return [json.loads(line) for line in (DEV / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _codes(text: str, lang: str, **kwargs) -> list[str]:
    return [f.code for f in check(text, language=lang, **kwargs).findings]


# --- conditionality -----------------------------------------------------------------------------


@pytest.mark.parametrize("item", _items("conditionality.jsonl"), ids=lambda i: i["id"])
def test_conditionality_dev_items(item):
    fired = "conditionality" in _codes(item["text"], item["lang"])
    assert fired is (item["label"] == "positive"), item["note"]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Uw extra korting is verwerkt; daar staat tegenover dat we graag uw verlenging voor twee jaar ontvangen.", "nl"),
        ("We hebben u in maart ook al een gratis extra bundel gegeven, dat mag u best eens onthouden.", "nl"),
        ("We vervangen de lader alleen kosteloos als u eerst uw account upgradet.", "nl"),
        ("Nu we uw abonnement kosteloos hebben gepauzeerd, vult u dan ook even onze enquête in?", "nl"),
        ("Onze monteur is speciaal voor u in het weekend gekomen; een goede beoordeling zou dan wel zo netjes zijn.", "nl"),
        ("After all the extra data we gave you, we trust you'll recommend us to your colleagues.", "en"),
    ],
)
def test_the_issue_examples_are_conditional(text, lang):
    assert "conditionality" in _codes(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("If it is still unresponsive, try unplugging it for a minute.", "en"),
        ("We'd like to help, if possible.", "en"),
        ("Als u vragen heeft, belt u gerust.", "nl"),
        ("Zodra we uw retour hebben, storten we het geld terug.", "nl"),
        ("If you'd like to cancel, I can help.", "en"),
        ("Stuur ons een foto van de schade, dan vervangen we het onderdeel.", "nl"),
        ("Uw pakket is verstuurd. Misschien krijgt u later een enquête; invullen hoeft niet.", "nl"),
        ("We already refunded your first order last month, and this one qualifies as well.", "en"),
    ],
)
def test_service_conditionals_and_untied_mentions_pass(text, lang):
    assert "conditionality" not in _codes(text, lang)


def test_a_favour_in_one_sentence_and_the_ask_in_the_next_are_linked():
    text = "De monteur komt morgen gratis langs. Daarom rekenen we erop dat u uw contract met een jaar verlengt."
    report = check(text, language="nl")
    finding = next(f for f in report.findings if f.code == "conditionality")
    assert finding.start == 0 and finding.end == len(text)


def test_the_message_names_the_favour_and_the_ask():
    report = check("We waive the fee, provided you leave us a five-star review.", language="en")
    finding = next(f for f in report.findings if f.code == "conditionality")
    assert "waive" in finding.message and "five-star review" in finding.message
    assert finding.severity == "error" and finding.rule == "reciprocity"
    assert finding.suggestion and "review" not in finding.suggestion
    assert report.conditionality.score > 0.5 and report.status == "needs_review"


def test_guilt_needs_no_ask():
    assert "conditionality" in _codes("Na alle moeite die we voor u hebben gedaan, stapt u nu toch over?", "nl")


def test_reminder_leverage_needs_a_past_favour():
    assert "conditionality" not in _codes("Remember that our store closes at six on Saturdays.", "en")
    assert "conditionality" in _codes("We already sent you a free charger last spring; please remember that.", "en")


@pytest.mark.parametrize(
    "text, lang",
    [
        # Commercial asks as verbs in any inflection, Dutch compounds by their parts, rating synonyms.
        ("De aansluitkosten laten we vallen als u uw abonnement met een jaar verlengt.", "nl"),
        ("We schelden de boete kwijt, mits u het energiepakket bij ons afneemt.", "nl"),
        ("We'll waive the late fee if you renew before Friday.", "en"),
        ("I can credit you once you give us a thumbs-up on the app.", "en"),
        # Negative conditions.
        ("Zonder ingevuld tevredenheidsformulier kunnen we de vergoeding niet toekennen.", "nl"),
        ("Unless you leave a review, we can't process the refund.", "en"),
        # Access framing.
        ("Deze korting is alleen voor klanten die ons een review geven.", "nl"),
        ("To unlock the free month, please first rate your experience with us.", "en"),
        # Guilt, debt and expectation appeals tied to what we did.
        ("We hebben de schade direct vergoed, dus een goede recensie is toch niet te veel gevraagd?", "nl"),
        ("We fixed it in an hour, so we're counting on a glowing review.", "en"),
    ],
)
def test_round_three_kinds_of_conditional_help_are_found(text, lang):
    assert "conditionality" in _codes(text, lang)


def test_an_ask_first_and_the_help_in_the_next_sentence_are_linked():
    text = "Laat u even een review achter? Dan zet ik de terugbetaling vandaag klaar."
    finding = next(f for f in check(text, language="nl").findings if f.code == "conditionality")
    assert finding.start == 0 and finding.end == len(text)
    assert "conditionality" in _codes("Rate us five stars in the app. Then we'll refund the fee.", "en")
    assert "conditionality" not in _codes("Start de modem opnieuw op. Dan zou het weer moeten werken.", "nl")
    assert "conditionality" not in _codes("Please send a photo of the damage. Then we'll replace it.", "en")


@pytest.mark.parametrize(
    "text, lang",
    [
        # The customer's own wish plus a step the help truly needs.
        ("Als u de gratis upgrade wilt, moet u de router even opnieuw opstarten.", "nl"),
        ("If you'd like the free upgrade, you'll first need to restart the modem.", "en"),
        # A past purchase or booking is a fact, not an ask; our renewal is help, not an ask.
        ("If you bought it from our new range, we'll replace it under warranty.", "en"),
        ("Als u bij ons heeft geboekt via een reisbureau, storten we de kosten terug.", "nl"),
        ("We hebben uw abonnement kosteloos met een maand verlengd.", "nl"),
        # A step the refund needs, and a pity with no ask.
        ("Without a receipt we can't process the refund, so please send a photo of it.", "en"),
        ("Het zou jammer zijn als u de korting misloopt, dus we hebben hem alvast toegepast.", "nl"),
        ("If you order before 10 pm, we'll ship the replacement the same day.", "en"),
    ],
)
def test_round_three_look_alikes_pass(text, lang):
    assert "conditionality" not in _codes(text, lang)


def _conditional(text: str, lang: str) -> bool:
    return "conditionality" in _codes(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("We vergoeden de reparatie, mits u ook uw reisverzekering bij ons afsluit.", "nl"),
        ("De creditnota volgt zodra u een tweede bestelling van minimaal 40 euro heeft geplaatst.", "nl"),
        ("We can refund the deposit if you transfer your mortgage over to us.", "en"),
        ("I'll escalate this today, but only once you've rated this conversation ten out of ten.", "en"),
    ],
)
def test_any_commercial_act_for_our_benefit_is_an_ask(text, lang):
    assert _conditional(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Ik heb u in april al een keer coulance gegeven, dus ik verwacht nu wel dat u de rekening voldoet.", "nl"),
        ("We hebben u altijd netjes geholpen. Dan gaat u er vast mee akkoord dat we de administratiekosten rekenen.", "nl"),
        ("We've been very lenient with your account, so we'd expect you to keep quiet about the delay.", "en"),
    ],
)
def test_a_past_favour_followed_by_pressure_needs_no_ask(text, lang):
    assert _conditional(text, lang)


def test_pressure_without_a_past_favour_and_a_favour_without_pressure_pass():
    assert not _conditional("Dan gaat u er vast mee akkoord dat we de monteur om negen uur sturen.", "nl")
    assert not _conditional("We hebben de storing vorige week al verholpen en verwachten wel dat het nu goed blijft.", "nl")
    assert not _conditional("I'm sure you'll understand why we need to see your ID first.", "en")


def test_an_imperative_ask_then_our_help_is_conditional_but_a_wish_is_not():
    assert _conditional("Geef ons een duimpje op Instagram, dan zet ik uw aanvraag bovenaan.", "nl")
    assert not _conditional("Wilt u later weer eens bij ons boeken, dan helpen we u daar graag bij.", "nl")
    assert not _conditional("Stuur ons de bon, dan zorg ik dat het geld teruggaat.", "nl")


@pytest.mark.parametrize(
    "text, lang",
    [
        # A condition on a group that runs into the ask: the cue ends where the ask starts.
        ("Free installation is only for subscribers who upgrade to the yearly plan.", "en"),
        # The help withdrawn when the ask is not met, after the ask.
        ("Zet een beoordeling op onze site, anders trekken we de gratis maand weer in.", "nl"),
        # A claim on something back ties the ask to a favour in the sentence before.
        ("We've sent a new charger at no cost. All we ask in return is a rating in the app.", "en"),
        # A favour between the ask's subject and its verb.
        ("We rekenen erop dat u ons na deze kosteloze vervanging aanraadt bij uw collega's.", "nl"),
    ],
)
def test_structural_links_of_conditional_help(text, lang):
    assert "conditionality" in _codes(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Only subscribers who moved house this year get the free reconnection.", "en"),
        ("Stuur de meterstand vandaag door, anders schatten we uw verbruik.", "nl"),
        ("If you'd like the free upgrade to fibre, please restart the router first once it arrives.", "en"),
    ],
)
def test_structural_look_alikes_pass(text, lang):
    assert "conditionality" not in _codes(text, lang)


def test_a_language_without_the_pack_section_gets_no_conditionality_finding():
    report = check("Si vous laissez un avis, nous vous remboursons.", language="fr")
    assert "conditionality" not in [f.code for f in report.findings] and report.conditionality.score == 0


def test_the_cues_live_in_the_packs():
    for lang in ("nl", "en"):
        section = load_pack(lang).section("conditionality")
        for key in ("favour", "ask", "condition", "exchange", "tie", "reminder", "guilt", "decouple"):
            assert section.get(f"{key}_patterns"), (lang, key)


# --- thanks_not_accepted ------------------------------------------------------------------------

THANKED = Analysis(thanks_given=True)


@pytest.mark.parametrize("item", _items("thanks_not_accepted.jsonl"), ids=lambda i: i["id"])
def test_thanks_dev_items(item):
    found = _codes(item["text"], item["lang"], analysis=THANKED).count("thanks_not_accepted")
    assert found == (1 if item["label"] == "positive" else 0), item["note"]


def test_thanks_not_accepted_is_reported_once_as_a_reciprocity_warning():
    report = check("Uw pakket komt morgen. De factuur volgt per mail. Fijne dag.", language="nl", analysis=THANKED)
    found = [f for f in report.findings if f.code == "thanks_not_accepted"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].rule == "reciprocity"
    assert "Graag gedaan" in found[0].suggestion


def test_no_thanks_no_finding():
    text = "Uw pakket komt morgen."
    assert "thanks_not_accepted" not in _codes(text, "nl")
    assert "thanks_not_accepted" not in _codes(text, "nl", analysis=Analysis(thanks_given=False))


def test_thanking_back_is_not_acceptance_but_a_warm_reply_is():
    assert "thanks_not_accepted" in _codes("Bedankt voor uw hulp.", "nl", analysis=THANKED)
    assert "thanks_not_accepted" not in _codes("Bedankt voor uw bericht. Graag gedaan!", "nl", analysis=THANKED)


def test_a_sentence_that_waves_the_thanks_away_is_no_acceptance():
    waved = "Graag gedaan, maar laat dat bedanken verder maar zitten."
    assert {"dismissive_thanks", "thanks_not_accepted"} <= set(_codes(waved, "nl", analysis=THANKED))
    assert "thanks_not_accepted" in _codes("You're welcome, but please stop thanking us.", "en", analysis=THANKED)
    assert "thanks_not_accepted" not in _codes("You're welcome, glad we could help.", "en", analysis=THANKED)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Dat bedanken mag u echt uit uw hoofd zetten, het was zo gebeurd.", "nl"),
        ("You shouldn't be thanking me; replacing the cable was the bare minimum.", "en"),
        ("Lovely message, but really, it's not needed.", "en"),
        ("Let's not make a big thing of it.", "en"),
    ],
)
def test_the_customers_thanks_waved_away_is_dismissive(text, lang):
    assert "dismissive_thanks" in _codes(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Thank you for your kind words! No need to reinstall the app, the update is live.", "en"),
        ("Thanks for the compliment, we're really happy you like the new app.", "en"),
        ("Uw klantnummer hoeft u niet uit uw hoofd te kennen; het staat op de factuur.", "nl"),
    ],
)
def test_accepted_kind_words_and_unrelated_dismissals_pass(text, lang):
    assert "dismissive_thanks" not in _codes(text, lang)


# --- conditionality, round 4: acquiring or committing, elliptical exchanges, reasons, guilt about leaving ---------


@pytest.mark.parametrize(
    "text, lang",
    [
        ("We zetten de monteur eerder in, mits u er ook onze inboedelverzekering bij afsluit.", "nl"),
        ("De reparatie is gratis als je je inschrijft voor ons ledenprogramma.", "nl"),
        ("We'll waive the callout charge if you take out our boiler cover as well.", "en"),
        ("I can bump your ticket up the queue once you've signed up for a three-year contract.", "en"),
    ],
)
def test_acquiring_or_committing_to_something_of_ours_is_an_ask(text, lang):
    assert _conditional(text, lang)


def test_an_elliptical_exchange_names_the_favour_and_the_ask():
    finding = next(f for f in check("No survey, no refund.", language="en").findings if f.code == "conditionality")
    assert "refund" in finding.message and "No survey" in finding.message
    assert _conditional("Geen recensie, geen tegoedbon.", "nl")
    assert _conditional("Geen review? Geen korting.", "nl")


@pytest.mark.parametrize(
    "text, lang",
    [
        ("No problem, no charge for the visit either.", "en"),
        ("No contract, no hidden fees: you can stop whenever you like.", "en"),
        ("Geen zorgen, geen extra kosten: de monteur komt gewoon gratis langs.", "nl"),
    ],
)
def test_no_this_no_that_without_an_ask_passes(text, lang):
    assert not _conditional(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Omdat u al jaren bij ons verzekerd blijft, krijgt u korting op de premie.", "nl"),
        ("Because you have renewed your plan every year, we've added a free month.", "en"),
    ],
)
def test_loyalty_already_shown_as_the_reason_passes(text, lang):
    assert not _conditional(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("After the free repair, leaving for a competitor now would be pretty ungrateful.", "en"),
        ("Na alle gratis extra's zou het ondankbaar zijn om nu over te stappen.", "nl"),
    ],
)
def test_guilt_about_leaving_after_a_favour(text, lang):
    assert _conditional(text, lang)


def test_leaving_as_the_customers_own_situation_passes():
    assert not _conditional("If you cancel within 14 days, we'll refund the full amount.", "en")
    assert not _conditional("Als u binnen de bedenktijd opzegt, storten we het hele bedrag terug.", "nl")


@pytest.mark.parametrize(
    "text, lang",
    [
        # An earlier favour held up by a frame, with no ask at all: before it, after it, or in the next sentence.
        ("Mind you, we gave you a courtesy car for free in 2024 when the garage was full.", "en"),
        ("We comped your drinks as a favour on your last visit; a little appreciation would be appreciated.", "en"),
        ("We hebben vorig voorjaar de herinstallatie gratis gedaan. Ik wijs u daar even op.", "nl"),
        ("Wij zijn u afgelopen najaar al tegemoetgekomen met een gratis extra maand, dat zou best erkend mogen worden.", "nl"),
    ],
)
def test_an_earlier_favour_held_up_needs_no_ask(text, lang):
    assert _conditional(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        # The past favour explains the current help, is case history, or only describes a thing.
        ("As we did last winter, we'll cover the callout charge again.", "en"),
        ("Remember that the loan phone we sent last month has to come back with the repaired one.", "en"),
        ("Zoals vorig jaar is het ophalen van het oude apparaat ook nu gratis.", "nl"),
        ("Houd in gedachten dat het tegoed dat we vorige maand gratis hebben bijgeschreven eind juni verloopt.", "nl"),
    ],
)
def test_an_earlier_favour_that_explains_or_describes_passes(text, lang):
    assert not _conditional(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        # A condition whose ask is acquiring something of ours, in any words.
        ("The setup fee is waived provided you convert to our business plan.", "en"),
        ("We'll extend the trial by a month if you bring in three new subscribers.", "en"),
        ("De aansluitkosten vervallen als u uw opstalverzekering aan uw polis toevoegt.", "nl"),
        ("Of we de boete kwijtschelden, hangt ervan af of u via ons een nieuwe auto leaset.", "nl"),
    ],
)
def test_a_condition_to_acquire_something_of_ours(text, lang):
    assert _conditional(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("If you'd like to move to our business plan, I can arrange it today.", "en"),
        ("Nothing about the refund depends on whether you renew.", "en"),
        ("Als u de foto van de schade stuurt, vergoeden we de reparatie.", "nl"),
        ("De vergoeding hangt niet af van uw beoordeling.", "nl"),
    ],
)
def test_a_condition_on_the_customers_own_case_passes(text, lang):
    assert not _conditional(text, lang)
