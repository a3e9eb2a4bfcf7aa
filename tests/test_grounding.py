"""Grounded drafts: links, our contact details and money in a draft come from the policy, not the mail.

And the pipeline's gate compares the draft's own language with the customer's.
"""

from __future__ import annotations

import pytest

from replydraft import Email, FakeBackend, check, draft_reply, load_policy
from replydraft.errors import PolicyError

from .helpers import GOOD_DRAFT, MAIL, analysis

DEFAULT = load_policy("default")


def codes(text: str, email: Email | None = None, policy=None, language: str = "nl") -> list[str]:
    return [f.code for f in check(text, language=language, email=email, policy=policy or DEFAULT).findings]


def with_policy(**sections) -> object:
    data = DEFAULT.model_dump()
    for section, values in sections.items():
        data[section] = {**data[section], **values}
    return type(DEFAULT).model_validate(data)


MAIL_500 = Email(body="Mijn pakket is kapot. Ik wil 500 euro terug, dat had uw collega beloofd. Bel me op 06-12345678.")


# --- promise_beyond_policy -------------------------------------------------------------------------

def test_a_refund_beyond_the_limit_is_flagged_even_when_the_mail_names_the_amount():
    report = check("U krijgt 500 euro van ons terug.", language="nl", email=MAIL_500)
    found = [f for f in report.findings if f.code == "promise_beyond_policy"]
    assert found and found[0].severity == "error" and found[0].rule == "GR2"
    assert "150.00" in found[0].message and report.status == "needs_review"


@pytest.mark.parametrize("draft", [
    "U krijgt 25 euro tegoed.",  # goodwill at the 25-euro limit
    "We storten de € 49,95 morgen terug.",  # a refund within the limit
    "U betaalt 500 euro per jaar.",  # what the customer pays is no promise
    "Uw factuur van € 300 klopt niet; u krijgt € 20 korting.",  # a price quoted next to a small credit
    "U krijgt geen 500 euro terug.",  # denied
    "U kunt het pakket gratis retourneren.",  # may_offer: "gratis retour"
])
def test_money_within_the_policy_or_owed_by_the_customer_passes(draft):
    assert "promise_beyond_policy" not in codes(draft, MAIL_500)


@pytest.mark.parametrize("draft, language", [
    ("U krijgt een tegoedbon van € 40.", "nl"),  # goodwill over 25
    ("U krijgt 10% korting op uw volgende bestelling.", "nl"),  # may_offer names no percentage
    ("Gebruik de kortingscode SORRY-25 bij uw volgende bestelling.", "nl"),  # not in discount_codes
    ("Wij zorgen voor gratis verzending van uw volgende bestelling.", "nl"),  # may_offer has no free delivery
    ("We will refund you € 400 today.", "en"),
    ("As an apology you'll get a $ 60 voucher.", "en"),
])
def test_money_codes_and_free_things_beyond_the_policy_are_flagged(draft, language):
    assert "promise_beyond_policy" in codes(draft, language=language)


def test_a_listed_code_and_an_offered_percentage_pass():
    policy = with_policy(promises={"discount_codes": ["SORRY-25"], "may_offer": ["10% korting op een volgende bestelling"]})
    assert "promise_beyond_policy" not in codes("U krijgt 10% korting met de kortingscode SORRY-25.", policy=policy)
    assert "promise_beyond_policy" in codes("U krijgt 15% korting.", policy=policy)


def test_a_may_not_promise_line_is_flagged_unless_denied():
    assert "promise_beyond_policy" in codes("De bezorger komt met een levering op een vast tijdstip: 10.00 uur.")
    assert "promise_beyond_policy" not in codes("Een levering op een vast tijdstip kunnen we niet beloven.")


# --- ungrounded_link -------------------------------------------------------------------------------

@pytest.mark.parametrize("draft", [
    "Ga naar voorbeeld-retour.nl voor uw label.",
    "Kijk op https://betaal-nu.example.com/verify.",
    "Zie www.evil.example voor meer.",
    "Klik [hier](https://evil.example/retour) om te starten.",
    "![logo](https://evil/?q=ordernummer-4471829)",
])
def test_links_outside_the_policy_are_ungrounded(draft):
    assert "ungrounded_link" in codes(draft)


def test_our_website_its_subdomains_and_allowed_domains_pass_and_the_customers_link_does_not():
    fine = "Kijk op https://www.voorbeeld.nl/retour, op help.voorbeeld.nl of volg uw pakket op postnl.nl."
    assert "ungrounded_link" not in codes(fine)
    email = Email(body="De foto's staan op www.mijnfotos.nl/schade. Wat nu?")
    assert "ungrounded_link" in codes("De foto's op www.mijnfotos.nl/schade hebben we gezien.", email)
    # A domain that only ends like ours is not ours.
    assert "ungrounded_link" in codes("Kijk op nepvoorbeeld.nl/retour.")
    # An e-mail address is no link; file names and decimals are not either.
    assert "ungrounded_link" not in codes("Mail ons op klantenservice@voorbeeld.nl over factuur.pdf van 1.5 kilo.")


def test_a_policy_without_a_website_allows_no_link():
    policy = with_policy(company={"website": ""}, links={"allowed_domains": []})
    assert "ungrounded_link" in codes("Kijk op https://www.voorbeeld.nl/retour.", policy=policy)


# --- ungrounded_contact and pii_leak --------------------------------------------------------------

@pytest.mark.parametrize("draft", [
    "Bel ons op 0900-1234567.",
    "Mail naar retouren@voorbeeld-service.nl.",
    "Stuur het pakket naar Kerkstraat 12, 1234 AB Utrecht.",
    "Stort het bedrag op NL91ABNA0417164300.",
    "Bel ons op 06-12345678.",  # the customer's own number, presented as ours
    "Tot morgen.\n\nMet vriendelijke groet,\nTeam Klantenservice\nTel: 085-7654321",  # in the signature block
])
def test_contact_details_presented_as_ours_must_be_the_policys(draft):
    found = codes(draft, MAIL_500)
    assert "ungrounded_contact" in found and "pii_leak" not in found


def test_our_own_details_and_the_customers_own_as_theirs_pass():
    draft = ("We bellen u morgen op 06-12345678. U kunt ons ook bellen op 020 123 4567 of mailen naar "
             "klantenservice@voorbeeld.nl. Stuur retouren naar Postbus 1234, 1000 AB Amsterdam.")
    found = codes(draft, MAIL_500)
    assert "ungrounded_contact" not in found and "pii_leak" not in found
    english = "We'll call you on 06-12345678 tomorrow. You can also call us on 020 123 4567."
    assert not {"ungrounded_contact", "pii_leak"} & set(codes(english, MAIL_500, language="en"))


def test_a_third_partys_detail_not_presented_as_ours_stays_pii_leak():
    found = codes("Uw buurman heeft nummer 06-87654321 opgegeven.", MAIL_500)
    assert "pii_leak" in found and "ungrounded_contact" not in found


def test_a_payment_iban_in_the_policy_grounds_it():
    policy = with_policy(company={"payment_iban": "NL91ABNA0417164300"})
    assert "ungrounded_contact" not in codes("Stort het bedrag op NL91 ABNA 0417 1643 00.", policy=policy)


def test_the_new_policy_keys_are_validated_strictly(tmp_path):
    bad = tmp_path / "team.toml"
    bad.write_text('[links]\nallowed_domain = ["x.nl"]\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="links.allowed_domain"):
        load_policy(bad)
    for name in ("default", "energie"):
        policy = load_policy(name)
        assert policy.company.website and policy.links.allowed_domains and policy.promises.discount_codes == []


# --- the pipeline ----------------------------------------------------------------------------------

def test_the_pipeline_gates_a_refund_beyond_the_policy():
    draft = GOOD_DRAFT.replace("Wij betalen het bedrag van 89,95 euro binnen drie werkdagen terug.",
                               "U krijgt 500 euro van ons terug, binnen drie werkdagen.")
    fake = FakeBackend([analysis(), draft, draft], default=draft)
    result = draft_reply(MAIL, backend=fake)
    assert "promise_beyond_policy" in {f.code for f in result.checks.findings}
    assert result.status == "needs_review"


ENGLISH = (
    "Dear Marieke de Vries,\n\nYour parcel will be delivered tomorrow between 9.00 and 13.00. That is later than "
    "we promised, and I am sorry you had to wait so long.\n\nDo you still want to cancel? You can do that until "
    "the parcel arrives. Just reply to this mail and we will refund the 89.95 euro within three working days."
)


def test_an_english_draft_to_a_dutch_mail_is_a_language_mismatch_in_the_pipeline():
    fake = FakeBackend([analysis(), ENGLISH, ENGLISH], default=ENGLISH)
    result = draft_reply(MAIL, backend=fake)
    assert "language_mismatch" in {f.code for f in result.checks.findings}
    assert result.status == "needs_review"


def test_a_dutch_draft_to_a_dutch_mail_is_no_language_mismatch_even_short():
    short = "Beste Marieke,\n\nUw pakket komt morgen voor 13.00 uur. Sorry dat het zo lang duurde."
    for draft in (GOOD_DRAFT, short):
        fake = FakeBackend([analysis(), draft, draft], default=draft)
        result = draft_reply(MAIL.model_copy(update={"language": None}), backend=fake)
        assert "language_mismatch" not in {f.code for f in result.checks.findings}


# --- kinds found by a blind set of Dutch attacks: by structure, not by phrasing ----------------------

@pytest.mark.parametrize("draft, language", [
    ("Bereik ons gerust op ons storingsnummer 088-311 2290.", "nl"),  # a label-compound the masking leaves alone
    ("Ons whatsappnummer is 06-48213377.", "nl"),
    ("Vragen? U kunt mailen naar hulp@pakketdienst-info.nl.", "nl"),
    ("Wij zijn bereikbaar via 020-555 0192.", "nl"),
    ("Our helpline is 020 555 0192.", "en"),
    ("You can reach us at help@parcel-desk.com.", "en"),
    ("Billing questions: contact billing@parcel-desk.com.", "nl"),  # an English line inside a Dutch draft
])
def test_a_contact_in_a_reach_us_or_possessive_frame_is_ours_and_must_be_grounded(draft, language):
    assert "ungrounded_contact" in codes(draft, language=language)


@pytest.mark.parametrize("draft, language", [
    ("Uw pakket kunt u terugsturen naar Havenweg 8, 3011 AB Rotterdam.", "nl"),
    ("Retourneren kan naar Postbus 881, 3500 BD Utrecht.", "nl"),
    ("Retouren kunt u naar Postbus 881, 3500 BD Utrecht sturen.", "nl"),  # verb at the end
    ("Ons nieuwe adres is Havenweg 8, 3011 AB Rotterdam.", "nl"),
    ("Please send the parcel back to PO Box 881.", "en"),
])
def test_an_address_after_a_sending_verb_is_ours_unless_it_is_the_return_address(draft, language):
    assert "ungrounded_contact" in codes(draft, language=language)


@pytest.mark.parametrize("draft, language", [
    ("U kunt het pakket terugsturen naar Voorbeeld BV, Retourafdeling, Postbus 1234, 1000 AB Amsterdam.", "nl"),
    ("Wij sturen de nieuwe lamp naar Kerkstraat 12, 1234 AB Utrecht.", "nl"),  # we send: the customer's address
    ("Morgen sturen wij de nieuwe lamp naar Kerkstraat 12.", "nl"),
    ("We will send the new lamp to 12 Oak Road.", "en"),
    ("Uw ordernummer is 0201234567.", "nl"),  # a number named as an order number is no phone
])
def test_the_return_address_and_the_customers_own_address_pass(draft, language):
    assert "ungrounded_contact" not in codes(draft, language=language)


@pytest.mark.parametrize("draft, language", [
    ("De bezorging is gratis.", "nl"),
    ("Wij laten weten dat u niets hoeft te betalen voor de verzending.", "nl"),
    ("U hoeft niets te betalen voor de reparatie.", "nl"),
    ("Uw abonnement is tot eind volgend jaar kosteloos.", "nl"),
    ("Shipping is on us.", "en"),
    ("The delivery is free of charge.", "en"),
    ("You won't have to pay anything for the repair.", "en"),
])
def test_something_free_as_a_predicate_is_a_promise(draft, language):
    assert "promise_beyond_policy" in codes(draft, language=language)


@pytest.mark.parametrize("draft", [
    "Retourneren is gratis.",  # may_offer: "gratis retour"
    "U krijgt een nieuwe levering zonder kosten.",  # may_offer, all its key words
    "Onze app is gratis te downloaden.",
    "U hoeft niets te doen.",
])
def test_free_things_the_policy_offers_or_that_give_nothing_pass(draft):
    assert "promise_beyond_policy" not in codes(draft)


@pytest.mark.parametrize("draft, language", [
    ("Wij garanderen dat uw pakket morgen voor 10.00 uur wordt bezorgd.", "nl"),
    ("We beloven levering binnen twee dagen, anders krijgt u uw geld terug.", "nl"),
    ("We guarantee your parcel arrives within 12 hours.", "en"),  # an English draft against a Dutch policy line
])
def test_a_guarantee_of_what_may_not_promise_names_is_flagged_by_its_concepts(draft, language):
    assert "promise_beyond_policy" in codes(draft, language=language)


@pytest.mark.parametrize("draft, language", [
    ("We kunnen niet garanderen dat de bezorging op tijd is.", "nl"),  # denied
    ("Wij sturen u morgen voor 12.00 uur een volledig antwoord.", "nl"),  # no guarantee, no delivery
    ("If your parcel arrives after the promised delivery date, you may get a refund.", "en"),  # refers to a promise
    ("We guarantee a reply within 24 hours.", "en"),  # time, but no delivery
])
def test_no_guarantee_or_not_of_a_forbidden_thing_passes(draft, language):
    assert "promise_beyond_policy" not in codes(draft, language=language)


# Kinds that stayed `ready` in blind Dutch attacks round 2, with sentences written here.
@pytest.mark.parametrize(
    "draft",
    [
        "Maakt u het bedrag over naar NL12 BANK 0123 4567 89 ten name van Incasso Service?",  # fails mod-97: still an account
        "Gebruik de code LENTE2025 en u betaalt geen bezorgkosten.",
        "Wij beloven dat uw geld binnen twee dagen terug is.",
        "U mag de stofzuiger houden en hoeft niets terug te sturen.",
        "We guarantee your refund within 48 hours.",
    ],
)
def test_accounts_codes_money_deadlines_and_kept_goods_beyond_policy(draft):
    language = "en" if draft.startswith("We guarantee") else "nl"
    assert {"ungrounded_contact", "promise_beyond_policy"} & set(codes(draft, MAIL_500, language=language))


@pytest.mark.parametrize(
    "draft",
    [
        "We storten het bedrag binnen drie werkdagen terug.",  # the default policy's refund_within_days is 3
        "We bellen u morgen voor 12.00 uur terug, dat beloof ik.",
        "De foutcode E4 betekent dat het filter vol zit.",
        "U kunt de bon houden als bewijs van aankoop.",
    ],
)
def test_saying_when_and_ordinary_codes_are_no_promise_beyond_policy(draft):
    assert "promise_beyond_policy" not in codes(draft, MAIL_500)


def test_a_refund_sooner_than_the_policys_refund_time_is_beyond_policy():
    draft = "We storten het bedrag binnen vijf werkdagen terug."
    assert "promise_beyond_policy" in codes(draft, MAIL_500, policy=with_policy(promises={"refund_within_days": 14}))
    assert "promise_beyond_policy" not in codes(draft, MAIL_500, policy=with_policy(promises={"refund_within_days": 7}))
    silent = with_policy(promises={"refund_within_days": 0})  # a policy that names no refund time allows none
    assert "promise_beyond_policy" in codes("We storten het bedrag binnen 30 dagen terug.", MAIL_500, policy=silent)


def test_a_granted_benefit_needs_a_may_offer_line():
    draft = "We hebben de garantie op uw koelkast verlengd tot vijf jaar."
    assert "promise_beyond_policy" in codes(draft, MAIL_500)
    allowed = with_policy(promises={"may_offer": ["garantie verlengd tot vijf jaar"]})
    assert "promise_beyond_policy" not in codes(draft, MAIL_500, policy=allowed)


def test_an_address_that_is_neither_the_customers_nor_ours_is_ungrounded_whatever_the_verb():
    mail = Email(body="Ik woon op Kerkstraat 12, 1234 AB Utrecht. Waar kan ik het pakket kwijt?")
    assert "ungrounded_contact" in codes("U kunt het pakket afgeven bij Stationsweg 40, 5611 AB Eindhoven.", mail)
    assert "ungrounded_contact" not in codes("We halen het pakket op bij Kerkstraat 12, 1234 AB Utrecht.", mail)


def test_a_parcel_code_is_no_account_but_an_iban_with_wrong_check_digits_is():
    assert "ungrounded_contact" not in codes("U kunt uw pakket volgen met de code RR123456789NL.", MAIL_500)
    assert "ungrounded_contact" in codes("Maakt u het over naar BE12 3456 7890 1234?", MAIL_500)


def test_a_refund_deadline_in_hours_is_reported_in_hours():
    messages = [f.message for f in check("Wij storten uw geld binnen 2 uur terug.", language="nl").findings
                if f.code == "promise_beyond_policy"]
    assert messages and "2 hour(s)" in messages[0]
