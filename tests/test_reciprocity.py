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
