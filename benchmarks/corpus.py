"""Varied 300-word Dutch drafts and mails for benchmarks: a different text on every iteration."""

from __future__ import annotations

import random

SENTENCES = [
    "Uw pakket komt {day} tussen {h}.00 en {h2}.00 uur.",
    "Wij betalen {amount} euro binnen {n} werkdagen terug op uw rekening.",
    "De monteur komt {day} om {h}.30 uur bij u langs.",
    "Dat is later dan we beloofden, en dat spijt me.",
    "U hoeft niets te doen: ik heb uw adres al aangepast.",
    "Wilt u toch annuleren? Antwoord dan op deze mail.",
    "Uw bestelling {order} is vandaag door ons magazijn verstuurd.",
    "Als u nog vragen heeft, belt u gerust met {phone}.",
    "Zodra we uw retour hebben, storten we het geld terug.",
    "Ik heb uw klacht over de factuur van {month} doorgestuurd naar mijn collega van de administratie.",
    "Zij belt u {day} voor {h}.00 uur om de nieuwe afspraak te maken.",
    "Uw abonnement loopt door tot {d} {month}, daarna stopt het vanzelf.",
    "De storing in uw wijk is opgelost, de internetverbinding werkt weer.",
    "U krijgt van ons een tegoedbon van {small} euro voor het wachten.",
    "Het nieuwe pasje ligt binnen {n} dagen in uw brievenbus.",
    "Wij hebben de dubbele afschrijving van {amount} euro gevonden.",
    "Het bedrag staat uiterlijk {day} weer op uw rekening.",
    "Uw verhuizing naar de {street} is verwerkt in ons systeem.",
    "De meterstand die u stuurde, hebben we gebruikt voor de nieuwe voorschotnota.",
    "Uw termijnbedrag wordt vanaf {month} {small} euro lager.",
]
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "morgen", "vandaag"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "september", "oktober", "november"]
STREETS = ["Dorpsstraat", "Kerkweg", "Molenlaan", "Stationsplein", "Beukenhof", "Vaartkade"]


def _fill(template: str, rng: random.Random) -> str:
    h = rng.randint(8, 15)
    return template.format(
        day=rng.choice(DAYS), h=h, h2=h + 3, amount=f"{rng.randint(10, 400)},{rng.randint(10, 99)}",
        n=rng.randint(2, 7), order=rng.randint(1_000_000, 9_999_999), phone=f"020 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        month=rng.choice(MONTHS), d=rng.randint(1, 28), small=rng.randint(5, 30), street=rng.choice(STREETS),
    )


def dutch_text(rng: random.Random, words: int = 300, greeting: str = "Beste mevrouw Jansen,") -> str:
    parts = [greeting, ""]
    count = 3
    while count < words:
        sentence = _fill(rng.choice(SENTENCES), rng)
        parts.append(sentence)
        count += len(sentence.split())
    return "\n".join(parts[:2]) + "\n" + " ".join(parts[2:])
