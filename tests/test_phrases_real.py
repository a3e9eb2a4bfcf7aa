"""dismissive_thanks, hollow_empathy and feedback_or_upsell judged by how a line is built, on phrasings the
pattern lists never held, and on the kinds of lines real support replies are full of (written here in our own
words). Word lists live in replydraft/packs/<lang>/phrases.toml; the logic in replydraft/checks/phrases.py."""

from __future__ import annotations

import json
from pathlib import Path

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


@pytest.mark.parametrize("text, language, expected", [
    # Regret about dissatisfaction in general, a stock closing in the perfect, a receipt in other words.
    ("Wij betreuren het dat u niet tevreden bent met onze hulp.", "nl", True),
    ("We trust this has addressed your concerns.", "en", True),
    ("Wij hebben uw bericht gekregen.", "nl", True),
    # The same frames with the customer's own detail: clean.
    ("I'm sorry the delivery driver ignored your note about the side gate.", "en", False),
    ("Wij hopen u hiermee te hebben geïnformeerd over de nieuwe openingstijden van de balie in Delft.", "nl", False),
])
def test_hollow_empathy_kinds_by_frame_and_generic_object(text, language, expected):
    assert fires("hollow_empathy", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # A survey we announce, a priced plan offered with "you could", a "have you seen" about our offer.
    ("Na de reparatie sturen wij u een enquête over ons bezoek.", "nl", True),
    ("After your stay you'll receive a short survey by email.", "en", True),
    ("For just £12 more a month you could move up to our Pro plan.", "en", True),
    ("Heeft u ons nieuwe Zorgeloos-pakket al gezien?", "nl", True),
    # A rating of something not ours, an offer the sentence before ended: clean.
    ("The nurse will ask you to rate how well you slept.", "en", False),
    ("Uw Plus-abonnement is beëindigd. Daardoor vervalt ook de korting op verzendkosten.", "nl", False),
])
def test_feedback_or_upsell_kinds_by_ask_offer_and_excuse(text, language, expected):
    assert fires("feedback_or_upsell", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # A receipt in formal words, understanding as a noun or sympathy, regret that we fell short: nothing named.
    ("Your query has been recorded and will be dealt with in due course.", "en", True),
    ("Uw klacht is geregistreerd en doorgegeven aan de betreffende afdeling.", "nl", True),
    ("We have every sympathy with your position.", "en", True),
    ("Wij hebben daar alle begrip voor.", "nl", True),
    ("We are sorry that our service fell short of the standard you expect.", "en", True),
    ("Het spijt ons dat wij niet aan uw verwachtingen hebben voldaan.", "nl", True),
    # The same frames with the case named, or the purpose of a gift: clean.
    ("Your query about the broken hinge has been recorded and a fitter will call on Monday.", "en", False),
    ("Wij hebben begrip voor uw zorgen over de schimmel in de badkamer.", "nl", False),
    ("I'm sorry the new mattress fell short of the firmness the shop promised.", "en", False),
    ("As an apology, we have refunded the £6 delivery charge.", "en", False),
])
def test_hollow_empathy_formal_receipts_understanding_and_unmet_expectations(text, language, expected):
    assert fires("hollow_empathy", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # A deal on something new: an incentive with booking, adding, ordering or signing up.
    ("Tennis lessons are 20% off in May, so book a court while you can.", "en", True),
    ("Combine your phone and broadband and save 10% on both.", "en", True),
    ("Neem er een tweede sleutelhanger bij met 50% ledenkorting.", "nl", True),
    ("De nieuwe regenjassen zijn nu met 15% korting te bestellen.", "nl", True),
    # A cross-sell frame, a teaser, a conditional purchase on top, a reminder to rate us.
    ("Did you know we can also finance your new kitchen?", "en", True),
    ("Wist u dat wij ook uw auto kunnen leasen?", "nl", True),
    ("Overweegt u een krachtiger stofzuiger?", "nl", True),
    ("Looking for something extra? Our wine tasting is from just €12.", "en", True),
    ("Als u ook de extra filterset bestelt, ontvangt u die gratis mee.", "nl", True),
    ("Vergeet u niet om ons een cijfer te geven?", "nl", True),
    ("Remember to leave a review of our service on the website!", "en", True),
    # Compensation, the customer's own product or question, help with "also", a negated or optional ask: clean.
    ("To make up for the delay, you'll get 15% off when you next order.", "en", False),
    ("Als compensatie krijgt u 20% korting op uw volgende bestelling.", "nl", False),
    ("With your membership you get 10% off when you book a guest pass.", "en", False),
    ("U vroeg naar het jaarabonnement: als u dat afsluit, krijgt u twee maanden gratis.", "nl", False),
    ("You can also order a replacement card in the app.", "en", False),
    ("Wist u dat u uw meterstand ook via de app kunt doorgeven?", "nl", False),
    ("You don't need to answer the survey; the refund is already on its way.", "en", False),
    ("U krijgt straks een vragenlijst; meedoen is helemaal vrijwillig.", "nl", False),
    ("Vergeet niet uw oude pas door te knippen.", "nl", False),
])
def test_feedback_or_upsell_deals_cross_sells_reminders_and_what_stays_clean(text, language, expected):
    assert fires("feedback_or_upsell", text, language) is expected


def _dev_items(name: str) -> list[dict]:
    path = Path(__file__).resolve().parent / "data" / "dev" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("item", _dev_items("dismissive_thanks.jsonl"), ids=lambda i: i["id"])
def test_dismissive_thanks_dev_items(item):
    assert fires("dismissive_thanks", item["text"], item["lang"]) is (item["label"] == "positive"), item["note"]


@pytest.mark.parametrize("text, language, expected", [
    # A thanks noun or compound is the customer's thanks, whatever punctuation follows it.
    ("Uw bedankbriefje, dat had echt niet gehoeven.", "nl", True),
    ("Stop maar met bedanken, hoor.", "nl", True),
    ("A thank-you card, really? You needn't have.", "en", True),
    # The dismissal may come in the sentence before the thanks reference.
    ("Het ging allemaal vanzelf. Uw bedankje is dus nergens voor nodig.", "nl", True),
    # We thank the customer: our own thanks, not theirs, even with 'u' before the verb.
    ("Wij willen u graag bedanken voor uw geduld. U hoeft de router niet opnieuw op te starten.", "nl", False),
    ("We'd like to thank you for your patience. You don't need to restart anything.", "en", False),
    ("We want to express our gratitude; the outage resolved itself overnight.", "en", False),
])
def test_dismissive_thanks_reads_whose_thanks_it_is(text, language, expected):
    assert fires("dismissive_thanks", text, language) is expected


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
    # responsiveness.py strips these before looking for an admission of a mistake.
    assert HOLLOW_EMPATHY.patterns.search("Excuses voor het ongemak.")
    assert HOLLOW_EMPATHY.patterns.search("We apologize for any inconvenience caused.")
    assert not HOLLOW_EMPATHY.patterns.search("Het spijt me, dat was onze fout.")


def test_long_drafts_stay_fast():
    import time
    text = ("Sorry for the trouble, and thank you. Please rate us. " * 400).strip()
    start = time.perf_counter()
    check(text, language="en")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("code", ["hollow_empathy", "feedback_or_upsell"])
def test_hollow_empathy_and_feedback_or_upsell_dev_items(code):
    wrong = [item["id"] for item in _dev_items(f"{code}.jsonl")
             if fires(code, item["text"], item["lang"]) is not (item["label"] == "positive")]
    assert not wrong


@pytest.mark.parametrize("text, language, expected", [
    # Receipt or appreciation whose object is only the contact, whatever the verb.
    ("Hierbij bevestigen wij de ontvangst van uw brief.", "nl", True),
    ("We acknowledge receipt of your letter and appreciate you writing to us.", "en", True),
    ("We confirm receipt of your meter photo from 2 June.", "en", False),
    # Contacting us is the customer's own topic outside a receipt clause.
    ("I understand you want to reach a manager about the refund.", "en", False),
    # A generic nuisance with its cause as an afterthought; an apology whose object is the event itself.
    ("Excuses voor het ongerief dat de verbouwing van ons kantoor heeft veroorzaakt.", "nl", True),
    ("Sorry for the hassle caused by the app update.", "en", True),
    ("Excuses dat de verbouwing uw afspraak van maandag heeft laten vervallen.", "nl", False),
])
def test_hollow_empathy_receipts_and_afterthought_causes(text, language, expected):
    assert fires("hollow_empathy", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # A nudge plus a product, or a nudge plus a price, with no upgrade/offer word.
    ("Uw factuur is aangepast. Misschien iets voor u: ons Comfortcontract, nu met twee maanden gratis onderhoud.", "nl", True),
    ("Voor € 4 per maand extra zetten we dat direct voor u aan.", "nl", True),
    ("For only £3 a month more we could also include breakdown help; shall I add it?", "en", True),
    ("Most customers also go for our Home Protection bundle.", "en", True),
    # The same parts without a nudge, or asked for: clean.
    ("Uw Comfortcontract kost vanaf 1 januari € 14 per maand.", "nl", False),
    ("Zoals u in de chat had aangegeven, is de dekking uitgebreid voor € 6 per maand.", "nl", False),
    # Feedback asks in indirect form; a phishing warning about a survey.
    ("Wij zouden het fijn vinden als u deelneemt aan ons lezerspanel.", "nl", True),
    ("Should you be satisfied with today's call, a short review would help us a lot.", "en", True),
    ("A text asking you to fill in our survey for a prize is fake. It did not come from us.", "en", False),
    ("Vul de enquête in de sms niet in. Die is niet door ons verstuurd.", "nl", False),
])
def test_feedback_or_upsell_by_structure(text, language, expected):
    assert fires("feedback_or_upsell", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # A value claim about a generic service noun, stock thanks for patience or pointing out, vague sympathy,
    # a formal receipt: nothing of the case is named.
    ("Onze klanten hun tevredenheid staat altijd centraal.", "nl", True),
    ("We take your complaint very seriously.", "en", True),
    ("Dank u wel voor uw geduld en begrip.", "nl", True),
    ("Thanks so much for pointing this out to us.", "en", True),
    ("Wat naar dat u zoiets negatiefs heeft moeten ervaren.", "nl", True),
    ("Dat is echt niet prettig.", "nl", True),
    ("Sorry for any misunderstanding in our last reply.", "en", True),
    ("We hereby confirm your letter has been received and registered.", "en", True),
    # The same frames with the case named, also in a subject clause before the predicate: clean.
    ("Uw klacht over de kapotte koelkast nemen we serieus: de monteur komt dinsdag.", "nl", False),
    ("Thanks for pointing out the wrong postcode on your invoice.", "en", False),
    ("Dat de lift al drie weken stilstaat, op de zesde verdieping, is echt vervelend.", "nl", False),
    ("That the parcel went to your old address, after you updated it, is really frustrating.", "en", False),
])
def test_hollow_empathy_value_claims_stock_thanks_and_subject_clauses(text, language, expected):
    assert fires("hollow_empathy", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # An upsell framed as a good moment, a recommendation or a customers-who saving; feedback asked as permission.
    ("Dit is misschien het ideale moment om te upgraden naar ons Glasvezel Max-pakket.", "nl", True),
    ("We raden u ook de extra beschermhoes aan, nu tijdelijk in de aanbieding.", "nl", True),
    ("Customers who switch to our annual plan save up to £30. Shall I put together a quote?", "en", True),
    ("Mogen we u binnenkort bellen om te vragen hoe tevreden u bent over onze service?", "nl", True),
    ("Would you mind posting a short review? It helps other shoppers.", "en", True),
    # Advice, a call about the case, an asked-for quote: clean.
    ("We raden u aan de meterkast niet zelf te openen.", "nl", False),
    ("Mogen we u morgen bellen om een afspraak voor de reparatie te maken?", "nl", False),
    ("As you asked, I have put together a quote for the new boiler.", "en", False),
])
def test_feedback_or_upsell_moments_recommendations_and_permission_asks(text, language, expected):
    assert fires("feedback_or_upsell", text, language) is expected


@pytest.mark.parametrize("text, language, expected", [
    # Selling by its parts: something of ours, a proposal to take it, an incentive or price. Two in a sentence, or a
    # proposal question next to a sentence with an incentive.
    ("Your locker code is reset. Fancy our gym's personal training? Sessions are £20 off this month.", "en", True),
    ("All fixed now! Why not upgrade to the Pro tier for £5 more and never hit the limit again?", "en", True),
    ("Your ticket is in your inbox. You could also add our travel insurance for just $9.", "en", True),
    ("Uw pakket is onderweg. Wilt u er onze bezorggarantie bij nemen voor € 1,95?", "nl", True),
    ("Heeft u interesse in een tweede laadpaal? Die plaatsen we nu voor € 299.", "nl", True),
    ("Stel gerust een buurvrouw aan ons voor: brengt u haar aan, dan krijgen jullie allebei een maand gratis.", "nl", True),
    # Feedback by its parts: an ask with a rating, an evaluation form, the customer's experience or a platform.
    ("I'd love it if you could leave us a few words on Trustpilot.", "en", True),
    ("Please rate your stay on Tripadvisor when you get home.", "en", True),
    ("Wilt u ons helpen door de cursusevaluatie in te vullen?", "nl", True),
    ("Laat gerust een waardering achter op Zorgkaart, dat helpt ons enorm.", "nl", True),
    # The customer's own money, bill, plan or case; a free way to help themselves; a tip that sells nothing.
    ("Your invoice of £54 is attached; would you like it by post as well?", "en", False),
    ("We've refunded the £12 delivery charge; would you like us to resend the parcel?", "en", False),
    ("Why not try restarting the router first? It usually fixes it.", "en", False),
    ("The upgrade you ordered will be installed on Friday at no cost.", "en", False),
    ("You can now also pay your bill by direct debit.", "en", False),
    ("Please complete the enclosed form and return it to claim your £30 refund.", "en", False),
    ("Uw factuur van € 54 staat in de bijlage; wilt u hem ook per post ontvangen?", "nl", False),
    ("Wilt u de reparatie laten uitvoeren? Die kost € 85 inclusief voorrijkosten.", "nl", False),
    ("U kunt nu ook uw rooster in de app bekijken.", "nl", False),
    ("Would you like the engineer to come on Monday? The visit is free under your warranty.", "en", False),
    # Help: a cheaper plan because the customer finds the cost too high.
    ("You wrote that the monthly fee is too high for you. Our Lite plan is £8 cheaper; would you like to switch?", "en", False),
])
def test_feedback_or_upsell_by_its_parts(text, language, expected):
    assert fires("feedback_or_upsell", text, language) is expected
