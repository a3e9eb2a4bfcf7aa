"""Names and street addresses masked by where they stand; format edges; labels that keep numbers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from replydraft import Email
from replydraft.masking import PLACEHOLDER, mask, mask_email

ROOT = Path(__file__).resolve().parents[1]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.type, e.value) for e in mask(text).entities]


@pytest.mark.parametrize("text, expected", [
    ("Mijn IBAN is nl91abna0417164300.", ("IBAN", "nl91abna0417164300")),
    ("Rekening NL 91 ABNA 0417 1643 00 graag.", ("IBAN", "NL 91 ABNA 0417 1643 00")),
    ("Ik woon op 1234 ab 12.", ("POSTCODE", "1234 ab 12")),
    ("Postcode 1234ab 12", ("POSTCODE", "1234ab 12")),
    ("Ik ben geb. 03-03-1985.", ("GEBOORTEDATUM", "03-03-1985")),
    ("geb 03-03-1985", ("GEBOORTEDATUM", "03-03-1985")),
    ("Ik ben geboren 3 maart 1985.", ("GEBOORTEDATUM", "3 maart 1985")),
    ("Geboortedatum: 03-03-'85", ("GEBOORTEDATUM", "03-03-'85")),
    ("DOB 12/04/1979", ("GEBOORTEDATUM", "12/04/1979")),
    ("My date of birth is 3 March 1985.", ("GEBOORTEDATUM", "3 March 1985")),
    ("I was born on 14 July 1960.", ("GEBOORTEDATUM", "14 July 1960")),
    ("Mijn nummer: 12.34.56.782", ("BSN", "12.34.56.782")),
    ("Zie 1234.56.782.", ("BSN", "1234.56.782")),
    ("Mijn BSN is 123 456 782.", ("BSN", "123 456 782")),
])
def test_formats_customers_write(text, expected):
    assert expected in kinds(text)


@pytest.mark.parametrize("text", [
    "Klantnummer 31612345678", "Mijn klantnummer is 31612345678.", "Ordernummer 4111111111111111 kwam niet.",
    "Customer number 31612345678.", "Invoice number 4111111111111111.", "Referentie 123456782.", "Polisnummer 12.34.56.782",
    "Bestelnummer 123456782 is kwijt.", "Track & trace 31612345678", "Dossiernummer: 0612345678", "ticket 4111 1111 1111 1111",
    "Ik betaal 1500 en 20 euro per jaar.", "De levering 3 dagen later.", "It took 2 weeks down the road.",
])
def test_a_number_labelled_as_something_else_or_an_ordinary_phrase_stays(text):
    assert mask(text).text == text


def test_the_nearest_label_decides():
    masked = mask("Klantnummer 4471, telefoon 0612345678.")
    assert masked.text == "Klantnummer 4471, telefoon [TELEFOON_1]."


def test_name_and_street_address_get_typed_placeholders():
    assert mask("Anneke de Vries, Kerkstraat 12").text == "[NAAM_1], [ADRES_1]"


@pytest.mark.parametrize("text, masked", [
    ("Beste Anneke,\n\nDank.", "Beste [NAAM_1],\n\nDank."),
    ("Dear Sarah,\n\nThanks.", "Dear [NAAM_1],\n\nThanks."),
    ("Dear Mr Jones,\n\nThanks.", "Dear Mr [NAAM_1],\n\nThanks."),
    ("Beste klantenservice,\n\nDank.", "Beste klantenservice,\n\nDank."),
    ("Hallo,\n\nmijn naam is anneke de vries en ik heb een vraag.", "Hallo,\n\nmijn naam is [NAAM_1] en ik heb een vraag."),
    ("Ik ben boos. Ik ben Kees.", "Ik ben boos. Ik ben [NAAM_1]."),
    ("Mijn man Peter belt morgen.", "Mijn man [NAAM_1] belt morgen."),
    ("My husband Tom called.", "My husband [NAAM_1] called."),
    ("Vraag.\n\nMet vriendelijke groet,\nPieter van den Berg", "Vraag.\n\nMet vriendelijke groet,\n[NAAM_1]"),
    ("Vraag.\n\nGroet, Jan", "Vraag.\n\nGroet, [NAAM_1]"),
    ("Stuur het t.a.v. Gerrit Smit.", "Stuur het t.a.v. [NAAM_1]."),
    ("Ik woon aan de Van der Helststraat 3-II.", "Ik woon aan de [ADRES_1]."),
    ("I live at 221B Baker Street.", "I live at [ADRES_1]."),
    ("adres: kerkstraat 12", "adres: [ADRES_1]"),
    ("Laan van Meerdervoort 112", "[ADRES_1]"),
    ("Anneke belde gisteren.", "Anneke belde gisteren."),  # no cue: not masked
])
def test_names_and_addresses_by_where_they_stand(text, masked):
    assert mask(text).text == masked


def test_one_person_one_placeholder_and_restore_gives_what_the_customer_wrote():
    text = ("Beste,\n\nMijn naam is Anneke de Vries. Mevrouw De Vries is de rekeninghouder, zegt Anneke.\n\n"
            "Groet,\nAnneke")
    masked = mask(text)
    assert masked.text.count("[NAAM_1]") == 4 and "[NAAM_2]" not in masked.text
    assert masked.restore("Beste [NAAM_1],") == "Beste Anneke de Vries,"


def test_the_sender_name_is_masked_wherever_it_recurs_and_greets_with_its_placeholder():
    email = Email(sender_name="Anneke de Vries", sender_address="anneke@example.nl",
                  body="Hallo,\n\nAnneke de Vries hier. Wanneer komt mijn pakket?\n\nGroetjes,\nAnneke")
    masked_email, _, masking = mask_email(email)
    assert masked_email.sender_name == "[NAAM_1]"
    assert "Anneke" not in masked_email.body and masked_email.body.count("[NAAM_1]") == 2
    assert masking.restore("Beste [NAAM_1],") == "Beste Anneke de Vries,"


def test_a_relative_with_the_senders_first_name_is_someone_else():
    email = Email(sender_name="Gerda de Boer", body="Tante Gerda heeft het pakket.\n\nGroet,\nGerda")
    body = mask_email(email)[0].body
    assert "Tante Gerda" in body and body.endswith("[NAAM_1]")


def test_placeholders_for_names_and_addresses_are_recognised():
    assert [m.group(1) for m in PLACEHOLDER.finditer("[NAAM_1] [ADRES_2]")] == ["NAAM", "ADRES"]


def test_redact_shows_name_and_address_placeholders(tmp_path, capsys):
    from replydraft.cli import main

    mail = tmp_path / "mail.txt"
    mail.write_text("Anneke de Vries, Kerkstraat 12")
    assert main(["redact", str(mail)]) == 0
    out = capsys.readouterr().out
    assert "[NAAM_1], [ADRES_1]" in out and "Anneke" not in out


def test_dev_set_scores_at_least_the_bar():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pii_blind import replydraft_detector, score

    items = [json.loads(line) for line in (ROOT / "tests/data/dev/pii.jsonl").read_text().splitlines() if line.strip()]
    result = score(items, replydraft_detector())
    for kind, c in result["counts"].items():
        if kind == "_keep" or not c["tp"] + c["fn"]:
            continue
        assert c["tp"] / (c["tp"] + c["fn"]) >= (0.90 if kind in ("NAAM", "ADRES") else 0.95), (kind, c)
    assert result["counts"]["_keep"]["masked"] == 0


def test_the_blind_scorer_counts_partial_cover_as_a_miss_and_keep_overlap_as_masked():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pii_blind import score

    item = {"id": "x", "lang": "nl", "text": "Anneke de Vries, order 12",
            "entities": [{"type": "NAAM", "value": "Anneke de Vries"}], "keep": ["order 12"]}
    result = score([item], lambda text: [(0, 6, "NAAM"), (23, 25, "TELEFOON")])
    assert result["counts"]["NAAM"]["fn"] == 1 and result["counts"]["TELEFOON"]["fp"] == 1
    assert result["counts"]["_keep"]["masked"] == 1


# Round 2: the kinds the first blind set found.

@pytest.mark.parametrize(
    "text, name",
    [
        ("De printer is stuk.\nTom Bakkenes, geb 17-08-1992", "Tom Bakkenes"),
        ("reizigers: Pieter-Jan Smeets en Tomasz Nowak", "Pieter-Jan Smeets"),
        ("reizigers: Pieter-Jan Smeets en Tomasz Nowak", "Tomasz Nowak"),
        ("ik ben het zat. groetjes kees jansen, dorpsweg 7", "kees jansen"),
        ("Stuur het naar J.P. de Wit.", "J.P. de Wit"),
        ("Graag contact met A. Kaya over de levering.", "A. Kaya"),
        ("De bestelling is voor Mohammed El Amrani.", "Mohammed El Amrani"),
        ("Onze zoon Daan wordt volgende week 18.", "Daan"),
        ("Buurman Jan Willem Brouwer heeft het aangenomen.", "Jan Willem Brouwer"),
    ],
)
def test_names_without_a_cue_by_a_known_first_name_and_a_surname(text, name):
    assert ("NAAM", name) in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Anneke belde gisteren over de bestelling.",
        "Will you send it today? Mark the parcel as fragile.",
        "Ik heb het gekocht bij de Albert Heijn.",
        "kees gebeld en hij komt morgen",
    ],
)
def test_a_first_name_without_a_surname_or_a_common_word_is_no_name(text):
    assert not [k for k, _ in kinds(text) if k == "NAAM"]


@pytest.mark.parametrize(
    "text, organisation",
    [
        ("Hallo KPN,\nmijn contract KPN-33871-M loopt af.", "KPN"),
        ("hoi ziggo\n\nhet internet ligt eruit", "ziggo"),
        ("Beste Vattenfall, de meter is stuk.", "Vattenfall"),
        ("Beste mensen van Zilveren Kruis,\nik heb een vraag.", "Zilveren Kruis"),
    ],
)
def test_a_greeting_to_an_organisation_is_no_name(text, organisation):
    masked = mask(text)
    assert organisation in masked.text and "NAAM" not in masked.text


def test_a_greeting_to_a_person_is_still_a_name():
    assert mask("Beste Sanne,\nbedankt.").text.startswith("Beste [NAAM_1]")
    assert mask("Beste meneer Bakker,\nbedankt.").text.startswith("Beste meneer [NAAM_1]")


@pytest.mark.parametrize(
    "text, phone",
    [
        ("I'm in Leeds this week, ring me on 07911 246810.", "07911 246810"),
        ("Hi, my number is (415) 867-2231, thanks.", "(415) 867-2231"),
        ("Hello, call our office on 0161 496 0753 please.", "0161 496 0753"),
        ("Ik woon in België, mijn gsm is 0475 61 22 83.", "0475 61 22 83"),
    ],
)
def test_phone_numbers_of_other_countries_written_nationally(text, phone):
    assert ("TELEFOON", phone) in kinds(text)


def test_a_labelled_compound_keeps_a_number_that_reads_as_a_phone():
    text = "Betalingskenmerk 0049 2831 7720 1184, storingsnummer 0612873340."
    assert mask(text).text == text


@pytest.mark.parametrize(
    "text, date",
    [
        ("reizigers: Hans de Vries 12-12-1958 en Gerda de Vries-Meijer 03-07-1960.", "03-07-1960"),
        ("Bas Hendriks, geb 17-08-1992", "17-08-1992"),
        ("My date of birth for ID: 08-08-1975.", "08-08-1975"),
        ("geb.datum: 06-06-2001", "06-06-2001"),
    ],
)
def test_dates_of_birth_in_lists_and_short_cues(text, date):
    assert ("GEBOORTEDATUM", date) in kinds(text)


def test_a_date_that_is_no_birth_date_stays():
    text = "Ik heb op 02-04-2024 besteld."
    assert mask(text).text == text


@pytest.mark.parametrize(
    "text, address",
    [
        ("Into Flat 2, 48 Kingsway, London.", "48 Kingsway"),
        ("mijn adres hoofdweg 88 9401 GZ assen", "hoofdweg 88"),
        ("Adres: Willemsparkweg 45-1, 1071 HC Amsterdam", "Willemsparkweg 45-1"),
        ("Address: Jan Evertsenstraat 112-3, 1056 EH Amsterdam.", "Jan Evertsenstraat 112-3"),
    ],
)
def test_addresses_written_the_other_ways(text, address):
    assert ("ADRES", address) in kinds(text)


def test_a_lower_case_way_that_is_no_street_stays():
    text = "het pakket is onderweg 3 dagen"
    assert mask(text).text == text


def test_a_foreign_iban_valid_by_mod97_is_masked_whole_not_as_a_phone():
    assert kinds("afschrijven van BE68 5390 0754 7034. Dank!") == [("IBAN", "BE68 5390 0754 7034")]


def test_the_pii_dev_set_stays_perfect():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import pii_blind

    items = [json.loads(l) for l in (ROOT / "tests/data/dev/pii.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    result = pii_blind.score(items, pii_blind.replydraft_detector())
    assert result["counts"]["_keep"]["masked"] == 0
    for kind in pii_blind.TYPES:
        assert result["counts"][kind]["fn"] == 0 and result["counts"][kind]["fp"] == 0, kind


# Kinds missed in blind PII round 2, with sentences written here (the round's own mails are dev material).
@pytest.mark.parametrize(
    "text, name",
    [
        ("we hebben voor mijn dochter fleur een fiets besteld", "fleur"),
        ("please also add my husband tom to the account", "tom"),
        ("De afspraak is voor onze kinderen Julia en Bram.", "Julia"),
        ("His name is Mei Lin and he will collect it.", "Mei Lin"),
        ("Ik wacht nog steeds.\n\n- Ingrid", "Ingrid"),
        ("Kunnen jullie me bellen? Alvast bedankt. - Ruben", "Ruben"),
        ("bel me even terug\nxx sanne", "sanne"),
        ("Graag vandaag nog. Dank! Priya", "Priya"),
    ],
)
def test_a_first_name_after_a_relation_or_alone_as_signature(text, name):
    assert ("NAAM", name) in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Geachte Groene Energie,\nmijn meter is stuk.",
        "Hallo Digitale Post,\nik kan niet inloggen.",
        "Hi Ted Baker team, the parcel never came.",
        "Stuur het naar postcode 2345 CD Anna Paulowna graag.",
        "Ik ben boos.\nDank u wel",
        "Bedankt voor de snelle reactie.\nH",
    ],
)
def test_organisations_towns_and_closings_are_no_names(text):
    assert "NAAM" not in mask(text).text


@pytest.mark.parametrize(
    "text, address",
    [
        ("Nieuw adres: Schillerstraße 12, 10625 Berlin.", "Schillerstraße 12"),
        ("My address is Flat 7, 23 Albion Road, Leeds.", "23 Albion Road"),
        ("Stuur het naar Vaartsingel 14-B, 3011 AA Rotterdam", "Vaartsingel 14-B"),
        ("verzendadres: Groenplaats 5, Antwerpen", "Groenplaats 5"),
    ],
)
def test_addresses_after_a_label_or_with_letter_suffixes(text, address):
    assert ("ADRES", address) in kinds(text)


def test_a_name_line_above_an_address_does_not_pull_the_closing_into_the_street():
    text = "Groeten,\nMarit Bos\nHerengracht 101\n1015 BE Amsterdam"
    assert ("NAAM", "Groeten") not in kinds(text)
    assert ("ADRES", "Herengracht 101") in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Huurovereenkomst nr. 0300-771234 loopt af.",
        "Aangifte nummer PL0900-2024098765 is gedaan.",
        "Mijn OV-chipkaart 3528 0100 4457 2291 is kwijt.",
        "Mijn klantenpas 4111 1111 1111 1111 werkt niet.",
        "Code H01XYZ0031612345678 staat op de bon.",
    ],
)
def test_numbers_named_by_another_label_or_glued_to_letters_stay(text):
    assert mask(text).text == text


@pytest.mark.parametrize(
    "text, bsn",
    [
        ("Het formulier vraagt mijn BSN. Moet dat echt? Ik heb 111222333 ingevuld.", "111222333"),
        ("Mijn burgerservicenummer is 123456782 en dat van mijn zoon is 111222333.", "111222333"),
    ],
)
def test_an_eleven_proof_number_in_a_paragraph_about_bsns_is_a_bsn(text, bsn):
    assert ("BSN", bsn) in kinds(text)


def test_a_number_after_a_country_code_is_a_phone_even_outside_the_numbering_plan():
    assert ("TELEFOON", "+44 7911 482 630") in kinds("Groeten,\nTom\n+44 7911 482 630")
    text = "Zie 165437893 op de bon."  # a possible national number without its prefix stays
    assert mask(text).text == text


# The kind missed in blind PII round 3: a person-shaped name that names a business.
@pytest.mark.parametrize(
    "text, business",
    [
        ("Met vriendelijke groet,\nPeter de Groot\nSchildersbedrijf De Groot", "Schildersbedrijf De Groot"),
        ("Ik heb de taart bij Banketbakkerij Jan Smit gehaald.", "Banketbakkerij Jan Smit"),
        ("Gekocht bij Karel Hendriks in Deventer, de fiets is kapot.", "Karel Hendriks in Deventer"),
        ("Groeten,\nfam. Yilmaz", "fam."),
    ],
)
def test_a_business_named_after_a_person_stays(text, business):
    assert business in mask(text).text


def test_after_fam_the_family_name_is_masked():
    assert mask("Groeten,\nfam. Yilmaz").text == "Groeten,\nfam. [NAAM_1]"


def test_a_one_word_greeting_to_a_shop_addressed_as_jullie_winkel_is_no_name():
    assert mask("Hallo Xenia,\nIn jullie webshop staat de verkeerde prijs.").text.startswith("Hallo Xenia,")
    assert mask("Hi Rosa,\nthe lamp I bought at your store broke.").text.startswith("Hi Rosa,")
    assert mask("Beste Rosa,\nbedankt voor je hulp.").text.startswith("Beste [NAAM_1]")


def test_a_card_brand_names_the_card_even_after_the_word_account():
    assert ("KAART", "4111 1111 1111 1111") in kinds("the only card on the account is my visa 4111 1111 1111 1111, please check")


@pytest.mark.parametrize("text", [
    "0612345678 is mijn nummer, of bel 020-1234567 na 17:00.",
    "Call +44 20 7946 0958 or (415) 867-2231; order 4471829 came late. Tel.:0031 6 1234 5678",
    "Geen nummer hier, alleen woorden en 12 euro.",
])
def test_phone_matching_in_windows_finds_what_the_whole_text_matcher_finds(text):
    import phonenumbers

    from replydraft.masking.numbers import phone_matches

    for region in ("NL", "GB", "US"):
        whole = {(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)}
        assert {(m.start, m.end) for m in phone_matches(text, region, phonenumbers.Leniency.VALID)} == whole


@pytest.mark.parametrize("text", ["Mijn adres staat in bijlage 2.", "Het adres op pagina 2 klopt niet."])
def test_an_address_label_followed_by_no_address_masks_nothing(text):
    assert mask(text).text == text


def test_an_address_label_is_linear_on_long_runs_of_spaces():
    import time

    started = time.process_time()
    mask("adres" + " " * 100_000 + "x")
    assert time.process_time() - started < 10


@pytest.mark.parametrize("text, name", [
    ("Gegevens: Marijke Steenbergen, geboortedatum 02-02-1961, graag snel.", "Marijke Steenbergen"),
    ("Policy holder Oluwaseun Adebayo, born 14/02/1988, asks for a copy.", "Oluwaseun Adebayo"),
    ("Voor ons beiden: Gerrit Haverkamp (geb. 05-05-1950) en ik.", "Gerrit Haverkamp"),
])
def test_a_name_right_before_a_date_of_birth(text, name):
    assert ("NAAM", name) in kinds(text)


def test_a_one_word_label_before_a_date_of_birth_is_no_name():
    assert not [v for t, v in kinds("Booking QX7. Passport DOB 01-02-1990, thanks.") if t == "NAAM"]


@pytest.mark.parametrize("text, names", [
    ("Met vriendelijke groet,\nLotte en Bartholomeus Verhoef", {"Lotte", "Bartholomeus Verhoef"}),
    ("Ik boek voor mijn dochters Isa en Noortje, allebei onder de 12.", {"Isa", "Noortje"}),
    ("Groeten,\nGeertruida Wolters (Truus)\n06-12345678", {"Geertruida Wolters", "Truus"}),
])
def test_names_joined_by_and_or_a_nickname_in_brackets(text, names):
    assert names <= {v for t, v in kinds(text) if t == "NAAM"}


def test_a_known_first_name_signing_after_the_last_sentence():
    assert ("NAAM", "marloes") in kinds("de stroom is er weer af sinds vanochtend. bel me op 06-12345678. marloes")


@pytest.mark.parametrize("text, address", [
    ("Groeten,\nJoost Meijer\nLijnbaansgracht 261-2\n1017 RN Amsterdam", "Lijnbaansgracht 261-2"),
    ("Ons huis aan de Burg. de Vlugtlaan 4, 1063 BK is leeg.", None),
    ("Het gaat om Overtoom 301-hs, 1054 HW Amsterdam.", "Overtoom 301-hs"),
    ("Lekkage op Tuinen en Velden 14, 1234 AB Ergens.", "Tuinen en Velden 14"),
    ("Neue Adresse: Lindenstraße 7, Aachen.", "Lindenstraße 7"),
])
def test_a_street_right_before_a_postcode_whatever_its_street_word(text, address):
    values = {v for t, v in kinds(text) if t == "ADRES"}
    assert address in values if address else values


def test_the_letters_after_postcode_are_a_postcode_even_when_they_spell_a_word():
    assert ("POSTCODE", "2511 en 3") in kinds("mijn postcode 2511 en 3, de pas is weg")
    assert not [v for t, v in kinds("Het kost 1500 en 20 euro verzendkosten.") if t == "POSTCODE"]


@pytest.mark.parametrize("text", [
    "Hello, my name is misspelled on the invoice.",
    "I'm in Rotterdam until Friday, please call then.",
])
def test_a_lower_case_word_after_a_name_cue_is_no_name_unless_a_first_name(text):
    assert not [v for t, v in kinds(text) if t == "NAAM"]


def test_a_title_after_a_closing_stays_and_the_name_goes():
    masked = mask("Graag terugbellen.\nGroet, mevr. B. Hoogendoorn, Dorpsstraat 3").text
    assert "mevr." in masked and "Hoogendoorn" not in masked


@pytest.mark.parametrize("text, company", [
    ("Factuur graag op naam van Dekkers Interieur B.V., Stationsplein 4.", "Dekkers"),
    ("The order is for Patel Logistics Ltd, please invoice them.", "Patel"),
    ("Met groet,\nFemke Dekkers\nDekkers Interieur B.V.", "Dekkers Interieur B.V."),
])
def test_a_surname_inside_a_company_name_with_its_legal_form_stays(text, company):
    assert company in mask(text).text


@pytest.mark.parametrize("text, reading", [
    ("Eindstanden: stroom 08817 / 02290, gas 3311.", "08817 / 02290"),
    ("Opening readings were 07722 and 01819 on the day we moved.", "07722"),
])
def test_meter_readings_are_no_phone_numbers(text, reading):
    assert reading in mask(text).text


def test_a_street_word_and_a_number_on_the_next_line_are_no_address():
    text = "Met vriendelijke groet,\nKees Akker\n06-2241 8876"
    assert not [v for t, v in kinds(text) if t == "ADRES"]
    assert ("TELEFOON", "06-2241 8876") in kinds(text)


def test_an_initial_alone_after_a_closing_is_no_name():
    assert not [v for t, v in kinds("Please fix it before Friday.\nCheers, J.") if t == "NAAM"]


@pytest.mark.parametrize("text, kind, value", [
    ("De gemeente wil mijn BSN voor het klantaccount. Het is 111 222 333.", "BSN", "111 222 333"),
    ("Mijn bestelling kwam nooit aan. Ik betaalde met 4111 1111 1111 1111.", "KAART", "4111 1111 1111 1111"),
])
def test_a_label_in_an_earlier_sentence_does_not_name_the_number(text, kind, value):
    assert (kind, value) in kinds(text)


def test_a_card_named_by_its_brand_in_a_compound_is_a_card():
    assert ("KAART", "4111 1111 1111 1111") in kinds("Mijn visapas 4111 1111 1111 1111 is verlopen.")


def test_a_date_of_birth_further_along_its_sentence():
    assert ("GEBOORTEDATUM", "02-02-1970") in kinds("mijn geboortedatum is bij jullie verkeerd ingevoerd, het moet 02-02-1970 zijn.")
    assert not [v for t, v in kinds("Mijn geboortedatum klopt niet. Levering was 02-02-2024.") if t == "GEBOORTEDATUM"]


@pytest.mark.parametrize("text, name", [
    ("hallo, mijn naam is defne kaya, ik wacht al weken", "defne kaya"),
    ("dank voor de hulp.\ngroet, marloes van der velde", "marloes van der velde"),
])
def test_lower_case_names_with_a_surname(text, name):
    assert ("NAAM", name) in kinds(text)


@pytest.mark.parametrize("text", [
    "Vertrek 14-08-2025, terug op de 21e.",
    "Herfst 12-10-2024 was de bestelling al binnen.",
])
def test_a_word_and_a_date_are_no_street_address(text):
    assert not [v for t, v in kinds(text) if t == "ADRES"]


def test_a_full_name_greeted_as_a_shop_is_no_person():
    text = "Beste Henk Kievit,\n\nIn jullie winkel in Zwolle kocht ik een fiets die nu al stuk is."
    assert "Henk Kievit" in mask(text).text


@pytest.mark.parametrize("text, street", [
    ("Ik was bij de bakker op de hoek van de Vredenburgstraat.", "Vredenburgstraat"),
    ("Gekocht bij Hans Kramer in de Korte Nieuwstraat, de winkel.", "Korte Nieuwstraat"),
])
def test_a_name_never_runs_into_the_street_after_it(text, street):
    assert street in mask(text).text


def test_a_branch_in_a_street_is_a_shop():
    assert "Henk Kievit" in mask("Ik kocht het bij Henk Kievit in de Lange Poten, maar het is kapot.").text
