"""Personal-data masking: each type found and validated, ordinary numbers left alone, values restored, nothing raw sent."""

from __future__ import annotations

import random
import re

import phonenumbers
import pytest
from stdnum import iban as stdnum_iban

from replydraft import Email, FakeBackend, check, draft_reply
from replydraft.masking import mask, mask_email

from .helpers import analysis

BANKS = ["ABNA", "RABO", "INGB", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"]
FIRST = ["jan", "marieke", "sanne", "ahmed", "fatima", "kees", "lotte", "daan", "noor", "priya"]
DOMAINS = ["example.nl", "voorbeeld.nl", "mail.example.com", "ziggo-test.nl", "kpn.example"]


def make_iban(rng: random.Random, spaced: bool) -> str:
    bban = rng.choice(BANKS) + "".join(rng.choice("0123456789") for _ in range(10))
    number = "NL" + stdnum_iban.calc_check_digits("NL00" + bban) + bban
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if spaced else number


def make_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def make_phone(rng: random.Random) -> str:
    while True:
        kind = rng.randrange(4)
        if kind == 0:
            raw = "06-" + "".join(rng.choice("0123456789") for _ in range(8))
        elif kind == 1:
            raw = "+31 6 " + "".join(rng.choice("0123456789") for _ in range(8))
        elif kind == 2:
            raw = "0" + rng.choice(["20", "10", "30", "70", "40", "50"]) + " " + "".join(rng.choice("0123456789") for _ in range(7))
        else:
            raw = "+32 4" + "".join(rng.choice("0123456789") for _ in range(8))  # Belgian mobile
        if phonenumbers.is_valid_number(phonenumbers.parse(raw, "NL")):  # many random numbers are not valid
            return raw


def make_email(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(['de.vries', 'jansen', 'el-amrani', 'bakker'])}{rng.randrange(100)}@{rng.choice(DOMAINS)}"


SENTENCES = {
    "IBAN": ["Mijn rekeningnummer is {v}.", "Stort het terug op {v} graag.", "Refund to {v}, please."],
    "BSN": ["Mijn BSN is {v}.", "Burgerservicenummer: {v}", "My BSN {v} is on the form."],
    "TELEFOON": ["Bel me op {v}.", "U kunt mij bereiken via {v} na 17.00 uur.", "Call me on {v}."],
    "EMAIL": ["Mail naar {v} graag.", "Mijn nieuwe adres is {v}.", "Reply to {v}."],
}
ORDINARY = [
    "Mijn bestelnummer is {n}.", "Order {n} kwam niet aan.", "Het bedrag van {a} euro is niet teruggestort.",
    "Op {d} heb ik gebeld.", "Factuur {n} klopt niet.", "Ik betaal al 12 jaar {a} per maand.", "Klantnummer {n}.",
]


def synthetic(seed: int = 7, per_type: int = 250):
    """(text, {type: [values]}) mails: each value in a sentence, mixed with ordinary numbers that must stay."""
    rng = random.Random(seed)
    makers = {"IBAN": lambda: make_iban(rng, rng.random() < 0.5), "BSN": lambda: make_bsn(rng),
              "TELEFOON": lambda: make_phone(rng), "EMAIL": lambda: make_email(rng)}
    mails = []
    for kind, make in makers.items():
        for _ in range(per_type):
            value = make()
            ordinary = rng.choice(ORDINARY).format(
                n=make_bsn(rng) if rng.random() < 0.3 else str(rng.randrange(10**5, 10**8)),  # 11-proof order numbers too
                a=f"{rng.randrange(10, 999)},{rng.randrange(10, 99)}",
                d=f"{rng.randrange(1, 28)}-{rng.randrange(1, 12)}-2026",
            )
            mails.append((f"Goedemiddag,\n\n{ordinary} {rng.choice(SENTENCES[kind]).format(v=value)}\n\nGroet", kind, value, ordinary))
    return mails


def test_precision_and_recall_per_type_on_a_synthetic_set():
    counts = {k: {"tp": 0, "fn": 0, "fp": 0} for k in SENTENCES}
    ordinary_masked = 0
    for text, kind, value, ordinary in synthetic():
        masked = mask(text)
        hit = [e for e in masked.entities if e.type == kind and e.value == value]
        counts[kind]["tp" if hit else "fn"] += 1
        counts[kind]["fp"] += sum(1 for e in masked.entities if not (e.type == kind and e.value == value))
        ordinary_masked += ordinary not in masked.text
    recall = {k: c["tp"] / (c["tp"] + c["fn"]) for k, c in counts.items()}
    precision = {k: c["tp"] / max(1, c["tp"] + c["fp"]) for k, c in counts.items()}
    print("\nPII masking on 1,000 synthetic mails:", {k: (round(precision[k], 3), round(recall[k], 3)) for k in counts})
    for kind in ("IBAN", "BSN", "EMAIL"):
        assert recall[kind] >= 0.99, (kind, recall[kind])
    assert recall["TELEFOON"] >= 0.95
    assert all(p >= 0.99 for p in precision.values()), precision
    assert ordinary_masked == 0  # order numbers (even 11-proof ones), amounts and dates stay


def test_precision_and_recall_per_type_on_faker_mails():
    """Values made by Faker nl_NL, not by us: 3,200 mails, among ordinary numbers that must stay."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from pii_masking import measure, table

    counts, ordinary_touched, total = measure(per_type=400, seed=3)
    print(f"\n{total} Faker mails\n" + "\n".join(table(counts)))
    recall = {k: c.get("tp", 0) / (c.get("tp", 0) + c.get("fn", 0)) for k, c in counts.items() if c.get("tp", 0) + c.get("fn", 0)}
    for kind in ("IBAN", "BSN", "EMAIL"):
        assert recall[kind] >= 0.99, (kind, recall[kind])
    assert recall["TELEFOON"] >= 0.95
    assert recall["POSTCODE"] >= 0.95 and recall["KAART"] >= 0.95 and recall["GEBOORTEDATUM"] >= 0.95
    assert recall["NAAM"] >= 0.90 and recall["NAAM (signature)"] >= 0.90 and recall["ADRES"] >= 0.90
    assert sum(c.get("fp", 0) for c in counts.values()) == 0
    assert ordinary_touched == 0


@pytest.mark.parametrize("text, kinds", [
    ("Mijn BSN is 680149375. Mijn bestelnummer is 367034049.", ["BSN"]),      # only the named one
    ("Ik heb 8 pakketten besteld op 09-06-2026.", []),                       # a date, not a phone number
    ("Afgeschreven van creditcard 565043937251.", ["KAART"]),                # a 12-digit Maestro, named
    ("Bestelling 565043937251 is onderweg.", []),                            # the same digits as an order number
])
def test_detector_edges_found_by_the_faker_set(text, kinds):
    assert [e.type for e in mask(text).entities] == kinds


@pytest.mark.parametrize("text", [
    "Bestelnummer 123456782 is kwijt.",          # passes the 11-proof, but no BSN named
    "Het kost 1.234,56 euro, factuur 2026-4471.",
    "Op 12-11-2026 om 14.30 uur belde ik.",
    "Mijn klantnummer is 300982114.",
    "Ik heb 3 pakketten van 2,5 kg besteld.",
])
def test_ordinary_numbers_stay(text):
    assert mask(text).text == text


def test_the_same_value_keeps_its_placeholder_and_restore_puts_back_only_used_ones():
    email = Email(body="Mijn IBAN is NL91ABNA0417164300, bel 06-12345678.",
                  history="> Eerder schreef ik: NL91 ABNA 0417 1643 00", sender_address="jan@example.nl")
    masked_email, _, masking = mask_email(email)
    assert "NL91" not in masked_email.body + masked_email.history and "[IBAN_1]" in masked_email.history
    assert masked_email.sender_address == "[EMAIL_1]"
    assert masking.restore("We storten het op [IBAN_1].") == "We storten het op NL91ABNA0417164300."
    assert masking.restore("Onbekend: [IBAN_9].") == "Onbekend: [IBAN_9]."


def test_no_raw_personal_data_reaches_the_backend_and_the_draft_gets_it_back():
    body = ("Goedemiddag,\n\nIk wil mijn geld terug op NL91ABNA0417164300. Mijn BSN is 111222333 en "
            "u kunt mij bellen op 06-12345678 of mailen naar kees.jansen@example.nl. Ik woon op 1234 AB 12.\n\n"
            "Wanneer krijg ik het geld terug?\n\nGroet,\nKees")
    email = Email(body=body, subject="Terugbetaling", sender_name="Kees Jansen", sender_address="kees.jansen@example.nl",
                  language="nl", register="u")
    draft = "Beste Kees Jansen,\n\nWij storten het geld morgen terug op [IBAN_1]. Dat is onze fout, sorry."
    fake = FakeBackend([analysis(questions=[{"quote": "Wanneer krijg ik het geld terug?"}], facts_given=[]), draft, draft],
                       default=draft)
    result = draft_reply(email, backend=fake)
    sent = "\n".join(m["content"] for call in fake.calls for m in call.messages)
    for raw in ("NL91ABNA0417164300", "111222333", "06-12345678", "kees.jansen@example.nl", "1234 AB"):
        assert raw not in sent, raw
    assert "[IBAN_1]" in sent and "[BSN_1]" in sent
    assert "NL91ABNA0417164300" in result.text and "[IBAN_1]" not in result.text
    assert "111222333" not in result.text  # only what the draft used comes back
    assert any("masked before the model saw the mail" in n for n in result.notes)
    assert "pii_leak" not in {f.code for f in result.checks.findings}  # the customer's own IBAN


def test_a_placeholder_the_mail_never_had_is_left_visible_and_gates_the_draft():
    """Seen on the embedded model: it wrote "contact us at [IBAN_1]" for a mail without an IBAN."""
    email = Email(body="Wanneer komt mijn pakket?", language="nl", register="u")
    draft = "Beste klant,\n\nUw pakket komt morgen voor 12.00 uur. Stort het bedrag op [IBAN_1]."
    fake = FakeBackend([analysis(questions=[{"quote": "Wanneer komt mijn pakket?"}], facts_given=[])], default=draft)
    result = draft_reply(email, backend=fake)
    assert "[IBAN_1]" in result.text
    assert result.status == "needs_review"
    leftover = [f for f in result.checks.findings if f.code == "placeholder"]
    assert leftover and result.text[leftover[0].start : leftover[0].end] == "[IBAN_1]"


def test_masking_can_be_switched_off_per_team():
    from replydraft import load_policy

    default = load_policy("default")
    policy = type(default).model_validate({**default.model_dump(), "masking": {"enabled": False}})
    email = Email(body="Bel me op 06-12345678. Wanneer komt mijn pakket?", language="nl", register="u")
    fake = FakeBackend([analysis(questions=[], facts_given=[])], default="Beste klant,\n\nUw pakket komt morgen.")
    draft_reply(email, backend=fake, policy=policy)
    assert "06-12345678" in fake.calls[0].messages[-1]["content"]


def test_pii_leak_flags_someone_elses_data_only():
    email = Email(body="Mijn nummer is 06-12345678. Kan ik terugbellen?", sender_address="anna@example.nl")
    # Presented as someone else's (not "bel ons op", which ungrounded_contact judges against the policy).
    leak = check("Beste Anna,\n\nHet nummer van Piet is 06-87654321 en zijn IBAN NL91ABNA0417164300.", language="nl", email=email)
    found = [f for f in leak.findings if f.code == "pii_leak"]
    assert len(found) == 2 and leak.status == "needs_review"
    assert found[0].severity == "error" and re.search(r"06-87654321", found[0].message)
    own = check("Beste Anna,\n\nWe bellen u morgen om 10.00 uur op 06-12345678. Ons nummer is 020 123 4567.",
                language="nl", email=email)
    assert "pii_leak" not in {f.code for f in own.findings}  # hers, and the policy's own contact_phone


def test_redact_cli_shows_what_would_be_masked_without_values_unless_asked(tmp_path, capsys):
    import json

    from replydraft.cli import main

    mail = tmp_path / "mail.txt"
    text = "Mijn IBAN is NL91ABNA0417164300 en mijn nummer 06-12345678. Bestelling 4471829."
    mail.write_text(text)
    assert main(["redact", str(mail), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["masked"] == "Mijn IBAN is [IBAN_1] en mijn nummer [TELEFOON_1]. Bestelling 4471829."
    assert out["entities"][0] == {"type": "IBAN", "placeholder": "[IBAN_1]", "start": 13, "end": 31}
    assert text[13:31] == "NL91ABNA0417164300"
    assert "NL91ABNA" not in json.dumps(out)
    assert main(["redact", str(mail), "--json", "--show-values"]) == 0
    assert json.loads(capsys.readouterr().out)["entities"][1]["value"] == "06-12345678"
    assert main(["redact", str(tmp_path / "nope.txt")]) == 2
