"""Precision and recall of personal-data masking per type, on synthetic Dutch and English mails made with Faker nl_NL.

    python benchmarks/pii_masking.py [--per-type 400] [--seed 3]

Each mail plants one value in a sentence among ordinary numbers (order and customer numbers, some
passing the 11-proof; amounts; dates; times) that must stay. Faker's phone numbers are often not
real Dutch numbers, so only those libphonenumber calls valid are planted, as the issue asks. A BSN
is planted with its name nearby ("BSN ...") and, as its own row, without: masking needs the name
or the dotted form by design, because one nine-digit order number in eleven passes the 11-proof.
Names (Faker's nl_NL names, particles and double names included) are planted after a cue and, in
every mail, as the signature under the closing; street addresses are Faker's nl_NL street addresses.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

import phonenumbers
from faker import Faker

from replydraft.masking import mask

SENTENCES = {
    "IBAN": ["Mijn rekeningnummer is {v}.", "Stort het bedrag terug op {v} alstublieft.", "Please refund it to {v}.",
             "IBAN: {v}", "Het geld moet naar rekening {v} (ten name van mij)."],
    "BSN": ["Mijn BSN is {v}.", "Burgerservicenummer: {v}", "My BSN {v} is on the form.", "bsn {v}",
            "Mijn burgerservicenummer {v} staat al in het dossier."],
    "BSN unnamed": ["Het nummer {v} staat op mijn pas.", "Zie {v}."],
    "EMAIL": ["Mail naar {v} graag.", "Mijn nieuwe adres is {v}.", "Reply to {v}, not my old address.", "({v})"],
    "TELEFOON": ["Bel me op {v}.", "U kunt mij bereiken via {v} na 17.00 uur.", "Call me on {v}.", "Tel: {v}",
                 "Mijn mobiel is {v}, bel gerust."],
    "POSTCODE": ["Ik woon op {v}.", "Postcode en huisnummer: {v}.", "Deliver to {v}, please."],
    "KAART": ["Afgeschreven van creditcard {v}.", "My card number is {v}."],
    "GEBOORTEDATUM": ["Ik ben geboren op {v}.", "Geboortedatum: {v}", "Date of birth: {v}.", "geb. {v}", "DOB {v}"],
    "NAAM": ["Mijn naam is {v}.", "Namens mijn vader, {v}, schrijf ik u.", "My name is {v}.", "T.a.v. {v}",
             "Ik ben {v} en ik heb een vraag.", "This is {v} writing about my order.", "Mijn vrouw {v} heeft gebeld.",
             "My husband {v} called you yesterday."],
    "ADRES": ["Ik woon op {v}.", "Stuur het naar {v}, alstublieft.", "Mijn nieuwe adres is {v}.", "Please deliver to {v}.",
              "Adres: {v}, {pc}"],
}
ORDINARY = [
    "Mijn bestelnummer is {n}.", "Order {n} kwam niet aan.", "Het bedrag van {a} euro is niet teruggestort.",
    "Op {d} om {t} uur heb ik gebeld.", "Factuur {n} klopt niet.", "Ik betaal al 12 jaar {a} per maand.",
    "Klantnummer {n}.", "Your invoice {n} of EUR {a} is wrong.", "Ik heb {k} pakketten besteld op {d}.",
]


def _eleven_proof(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        last = sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11
        if last < 10 and digits[0]:
            return "".join(map(str, digits)) + str(last)


def _iban(fake: Faker, spaced: bool) -> str:
    number = fake.iban()
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if spaced else number


def _phone(fake: Faker) -> str:
    while True:
        number = fake.phone_number()
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(number, "NL")):
                return number
        except phonenumbers.NumberParseException:
            pass


def synthetic(per_type: int = 400, seed: int = 3) -> list[tuple[str, str, str, str]]:
    """(mail, type, planted value, ordinary sentence, signature name) for every type."""
    fake = Faker("nl_NL")
    Faker.seed(seed)
    rng = random.Random(seed)
    makers = {
        "IBAN": lambda: _iban(fake, spaced=rng.random() < 0.5),
        "BSN": fake.ssn,
        "BSN unnamed": fake.ssn,
        "EMAIL": fake.email,
        "TELEFOON": lambda: _phone(fake),
        "POSTCODE": lambda: f"{fake.postcode()} {rng.randrange(1, 300)}",
        "KAART": fake.credit_card_number,
        "NAAM": fake.name,
        "ADRES": fake.street_address,
        "GEBOORTEDATUM": lambda: fake.date_of_birth(minimum_age=18, maximum_age=95).strftime(rng.choice(["%d-%m-%Y", "%d/%m/%Y"])),
    }
    mails = []
    for kind, make in makers.items():
        for _ in range(per_type):
            value = make()
            ordinary = rng.choice(ORDINARY).format(
                n=_eleven_proof(rng) if rng.random() < 0.3 else str(rng.randrange(10**4, 10**9)),
                a=f"{rng.randrange(10, 9999)},{rng.randrange(10, 99)}",
                d=fake.date_this_year().strftime("%d-%m-%Y"),
                t=f"{rng.randrange(8, 18)}.{rng.choice(['00', '15', '30', '45'])}",
                k=rng.randrange(2, 9),
            )
            sentence = rng.choice(SENTENCES[kind]).format(v=value, pc=fake.postcode())
            parts = [ordinary, sentence] if rng.random() < 0.5 else [sentence, ordinary]
            signer = fake.name()  # a signature name: planted too, found by the closing above it
            mails.append((f"Goedemiddag,\n\n{' '.join(parts)}\n\nMet vriendelijke groet,\n{signer}", kind, value, ordinary, signer))
    return mails


def measure(per_type: int = 400, seed: int = 3) -> tuple[dict[str, dict[str, int]], int, int]:
    """Per type: true positives, false negatives, false positives; and how many ordinary sentences were touched."""
    counts: dict[str, Counter] = {}
    ordinary_touched = 0
    mails = synthetic(per_type, seed)
    for text, kind, value, ordinary, signer in mails:
        masked = mask(text)
        _count(counts, masked, kind, value, signer)
        ordinary_touched += ordinary not in masked.text
    return {k: dict(v) for k, v in counts.items()}, ordinary_touched, len(mails)


def _count(counts: dict[str, Counter], masked, kind: str, value: str, signer: str) -> None:
    detected_type = "BSN" if kind == "BSN unnamed" else kind
    planted = [e for e in masked.entities if e.type == detected_type and _same(e.value, value)]
    counts.setdefault(kind, Counter())["tp" if planted else "fn"] += 1
    signed = [e for e in masked.entities if e.type == "NAAM" and _same(e.value, signer)]
    counts.setdefault("NAAM (signature)", Counter())["tp" if signed else "fn"] += 1
    planted += signed
    planted += [e for e in masked.entities if kind == "ADRES" and e.type == "POSTCODE"]  # "Adres: {v}, {pc}" plants one
    for entity in masked.entities:
        # Part of a planted value ("Imke Bernaards-van Hoevel" of a longer double name) is a partial miss, not a false alarm.
        partial = (entity.type == detected_type and entity.value in value) or (entity.type == "NAAM" and entity.value in signer)
        if entity not in planted and not partial:
            counts.setdefault(entity.type, Counter())["fp"] += 1


def _same(found: str, planted: str) -> bool:
    squash = lambda s: "".join(ch for ch in s.lower() if ch.isalnum())  # noqa: E731
    return squash(found) == squash(planted) or squash(planted) in squash(found)


def table(counts: dict[str, dict[str, int]]) -> list[str]:
    lines = ["| type | planted | found | missed | false alarms | precision | recall |", "|---|---:|---:|---:|---:|---:|---:|"]
    for kind in [*SENTENCES, *(k for k in counts if k not in SENTENCES)]:
        c = counts.get(kind, {})
        tp, fn, fp = c.get("tp", 0), c.get("fn", 0), c.get("fp", 0)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        lines.append(f"| {kind} | {tp + fn} | {tp} | {fn} | {fp} | {precision:.3f} | {recall:.3f} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-type", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    counts, touched, total = measure(args.per_type, args.seed)
    print(f"{total} synthetic mails (Faker nl_NL, seed {args.seed}); ordinary-number sentences changed by masking: {touched}")
    print("\n".join(table(counts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
