from __future__ import annotations

import subprocess
import sys
import time

import pytest

from replydraft.language import DEFAULT_LANGUAGE, detect_language, detect_register

LANGUAGE_CASES = [
    # very short mails: the function-word vote decides
    ("Waar blijft mijn pakket?", "nl"),
    ("Where is my parcel?", "en"),
    ("Bedankt!", "nl"),
    ("Thanks!", "en"),
    ("Kunt u mij terugbellen?", "nl"),
    ("Please call me back.", "en"),
    ("Dank je wel", "nl"),
    ("Hoi", "nl"),
    ("Ik wil retourneren", "nl"),
    ("I want a refund", "en"),
    ("Is mijn bestelling al verzonden?", "nl"),
    ("Any update?", "en"),
    ("Graag een reactie", "nl"),
    ("Great, thank you", "en"),
    ("Mijn pakket is kapot", "nl"),
    ("Where is it?", "en"),
    ("Klopt", "nl"),
    ("Nee", "nl"),
    ("Yes", "en"),
    ("Kan ik betalen met iDEAL?", "nl"),
    # order numbers, links and addresses are not words
    ("Bestelnummer 4471829, waar is het? https://track.example.nl/4471829 jan@example.nl", "nl"),
    ("Order 55123 - where is it? https://example.com/track?id=55123", "en"),
    # other languages
    ("Wo ist mein Paket?", "de"),
    ("Wann kommt meine Bestellung?", "de"),
    ("Où est mon colis ?", "fr"),
    ("Merci beaucoup", "fr"),
    ("¿Dónde está mi pedido?", "es"),
    ("Gdzie jest moja paczka?", "pl"),
    ("Мой заказ не пришёл", "ru"),
    # longer mails: the identifier decides
    (
        "Goedemiddag, op 3 november heb ik een koffiezetapparaat besteld. Het zou binnen twee werkdagen "
        "worden bezorgd, maar ik heb nog steeds niets ontvangen. Wanneer wordt mijn pakket bezorgd?",
        "nl",
    ),
    (
        "Good afternoon, on 3 November I ordered a coffee machine. It should have been delivered within two "
        "working days, but I still have not received anything. When will my parcel arrive?",
        "en",
    ),
    (
        "Hoi! Ik heb gisteren een jas besteld maar ik zie nu dat de maat niet klopt. Kan ik hem nog omruilen "
        "voordat hij verstuurd wordt? Groetjes, Sanne",
        "nl",
    ),
    (
        "Hi there, I bought a jacket yesterday but the size is wrong. Can I still swap it before it ships? "
        "Cheers, Sam",
        "en",
    ),
    (
        "Sehr geehrte Damen und Herren, ich habe vor zwei Wochen eine Bestellung aufgegeben und bisher nichts "
        "erhalten. Können Sie mir bitte sagen, wann das Paket ankommt?",
        "de",
    ),
]


@pytest.mark.parametrize("text, expected", LANGUAGE_CASES)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12345", "https://example.com/x jan@example.nl 06-12345678", "?!"])
def test_no_words_gives_the_default_language(text):
    assert detect_language(text) == DEFAULT_LANGUAGE == "nl"


def test_detect_language_rejects_non_text():
    with pytest.raises(TypeError):
        detect_language(b"Waar blijft mijn pakket?")  # type: ignore[arg-type]


REGISTER_CASES = [
    # Dutch: u against je
    ("Kunt u mij terugbellen?", "nl", "u"),
    ("Wanneer komt uw monteur? Ik heb u al twee keer gebeld.", "nl", "u"),
    ("Kun je me terugbellen?", "nl", "je"),
    ("Hoi, heb jij mijn pakket gezien? Ik hoor graag van jou.", "nl", "je"),
    ("Hebben jullie mijn pakket? Kun je even kijken?", "nl", "je"),
    ("Mijn pakket is kapot.", "nl", "unknown"),
    ("Waar blijft mijn pakket?", "nl", "unknown"),
    # "u" inside words and abbreviations is not "u"
    ("Ik wil de U-bocht retour sturen, m.u.v. de kraan.", "nl", "unknown"),
    ("Uiteraard wil ik een nieuwe, uiterlijk volgende week.", "nl", "unknown"),
    ("De winkel is vanaf 14 u open.", "nl", "unknown"),
    # generic "je" does not outvote "u"
    ("Je weet maar nooit. Kunt u kijken of het pakket er is?", "nl", "u"),
    ("Je zou toch denken dat het pakket er nu is.", "nl", "unknown"),
    # "jullie" alone is weak: customers write it in polite mails too
    ("Waarom hebben jullie mijn pakket nog niet verstuurd?", "nl", "unknown"),
    ("Ik heb bij jullie besteld. Kunt u mij helpen?", "nl", "u"),
    # English: formal against informal
    ("Dear Sir or Madam, I am writing to request a refund. Yours sincerely, John Smith", "en", "formal"),
    ("Dear team, my order has not arrived. Kind regards, Anna", "en", "formal"),
    ("I am not happy. I do not understand why. Regards", "en", "formal"),
    ("Hi, where's my order? Thanks!", "en", "informal"),
    ("Hey guys, I can't find my parcel lol", "en", "informal"),
    ("I'm still waiting and I don't know why. Cheers", "en", "informal"),
    ("Hello, my order has not arrived.", "en", "unknown"),
    ("Where is my parcel?", "en", "unknown"),
    # other languages
    ("Sehr geehrte Damen und Herren, wo ist mein Paket?", "de", "unknown"),
    ("Bonjour, où est mon colis ?", "fr", "unknown"),
    ("Kunt u mij terugbellen?", "NL", "u"),
    ("Kunt u mij terugbellen?", "nl-BE", "u"),
]


@pytest.mark.parametrize("text, language, expected", REGISTER_CASES)
def test_detect_register(text, language, expected):
    assert detect_register(text, language) == expected


def test_identifier_is_built_lazily_not_at_import():
    code = (
        "import replydraft.language as l\n"
        "assert l._identifier.cache_info().currsize == 0\n"
        "l.detect_language('Waar blijft mijn pakket? Ik heb het vorige week besteld en nog steeds niets.')\n"
        "assert l._identifier.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _per_call_ms(fn, *args, n=200) -> float:
    fn(*args)
    started = time.perf_counter()
    for _ in range(n):
        fn(*args)
    return (time.perf_counter() - started) / n * 1000


NL_300 = (
    "Ik heb op 3 november bij jullie een koffiezetapparaat besteld. Volgens de bevestiging zou het binnen "
    "twee werkdagen worden bezorgd, maar ik heb nog steeds niets ontvangen. Kunt u mij laten weten waar "
    "het pakket is? "
) * 9
EN_300 = (
    "Hi there, I ordered a coffee machine on 3 November. According to the confirmation it would arrive "
    "within two working days, but I still haven't received anything. Could you tell me where it is? "
) * 9


def test_register_is_fast_enough_for_the_post_check():
    assert len(NL_300.split()) >= 280 and len(EN_300.split()) >= 280
    # Measured about 0.15 ms; the bound leaves room for a slow CI machine.
    assert _per_call_ms(detect_register, NL_300, "nl") < 1.0
    assert _per_call_ms(detect_register, EN_300, "en") < 1.0


def test_language_id_is_fast_after_warm_up():
    # Measured about 0.5 ms for 300 words.
    assert _per_call_ms(detect_language, NL_300) < 5.0
    assert _per_call_ms(detect_language, "Waar blijft mijn pakket?") < 1.0
