"""Behaviour of vague_promise, needless_formality and placeholder: built by structure, look-alikes stay clean."""

from __future__ import annotations

import pytest

from replydraft import check
from replydraft.checks.registry import code


def fires(code_name: str, text: str, language: str, policy=None) -> bool:
    return code_name in {f.code for f in check(text, language=language, policy=policy).findings}


@pytest.mark.parametrize("text,language,expected", [
    ("De afdeling facturatie neemt contact met u op.", "nl", True),
    ("Our billing team will be in touch about the credit.", "en", True),
    ("We'll let you know once the warehouse replies.", "en", True),
    ("Zodra de leverancier antwoordt, laten wij het u weten.", "nl", True),
    ("Wij zoeken zo snel mogelijk uit waar uw pakket is gebleven.", "nl", True),
    ("We aim to fix this before long.", "en", True),
    ("Zodra we uw retour hebben, storten we het geld terug.", "nl", False),
    ("Once you send the receipt, we will refund you within 5 working days.", "en", False),
    ("I'll walk you through the settings now.", "en", False),
    ("Hope your trip goes well and the weather clears soon!", "en", False),
    ("Wij nemen uw bezwaar in behandeling. U krijgt uiterlijk 20 augustus ons besluit.", "nl", False),
])
def test_vague_promise(text, language, expected):
    assert fires("vague_promise", text, language) is expected


@pytest.mark.parametrize("text,language,expected", [
    ("Wij verzoeken u het formulier te ondertekenen en per post terug te sturen.", "nl", True),
    ("U moet daarvoor wel even langskomen op ons kantoor.", "nl", True),
    ("We can only refund you once you've printed out the slip and filled it in.", "en", True),
    ("We'll need a signed letter from you before we can change the owner.", "en", True),
    ("Under clause 4.2 we cannot do this.", "en", True),
    ("Een handtekening is daarvoor niet nodig.", "nl", False),
    ("Ik heb het formulier al voor u ingevuld.", "nl", False),
    ("No need to sign anything: the change is done.", "en", False),
    ("Sign in to your account and open Orders.", "en", False),
    ("Our terms and conditions are on the website.", "en", False),
    ("We'll send you a letter with the new meter details.", "en", False),
])
def test_needless_formality(text, language, expected):
    assert fires("needless_formality", text, language) is expected


def test_a_formality_the_policy_requires_is_not_flagged():
    from replydraft.policy import load_policy
    base = load_policy(None)
    policy = base.model_copy(update={"formalities": base.formalities.model_copy(update={"required": ["handtekening"]})})
    text = "Wij hebben van u een handtekening nodig voor de overdracht."
    assert fires("needless_formality", text, "nl")
    assert not fires("needless_formality", text, "nl", policy=policy)


@pytest.mark.parametrize("text,expected", [
    ("Dear {{first_name}}, thanks.", True),
    ("Hello ${firstName}, welcome.", True),
    ("We moved you to the %PLAN_NAME% plan.", True),
    ("The new amount is € XX,XX a month.", True),
    ("It takes effect on XX/XX/2024.", True),
    ("Your case number is 2024-XXXX.", True),
    ("Regards, [Agent Name]", True),
    ("Dear <Customer Name>, sorry about that.", True),
    ("Your card XXXX XXXX XXXX 1234 was charged.", False),
    ("We have it in XL and XXL.", False),
    ("Open Settings > Billing to change it.", False),
    ("Error 0x80070005 means a permissions problem.", False),
    ("Uw rekening [IBAN_1] is aangepast.", False),
    ("If the total is < 50 euros, shipping costs 4 euros.", False),
])
def test_placeholder(text, expected):
    assert fires("placeholder", text, "en") is expected


def test_one_finding_per_slot_with_registry_severity():
    findings = [f for f in check("Call us on XXX-XXX-XXXX.", language="en").findings if f.code == "placeholder"]
    assert len(findings) == 1 and findings[0].severity == code("placeholder").severity == "error"


def test_a_language_without_a_pack_still_finds_slots():
    assert fires("placeholder", "Hallo {{vorname}}, danke für Ihre Nachricht.", "de")


def test_registry_points_to_the_new_detectors():
    assert code("placeholder").detector == "placeholders:detect"
    assert code("needless_formality").detector == "formality:detect"
    assert code("vague_promise").detector == "promises:detect"
