"""Shared test material: a Dutch mail with two questions and replies a FakeBackend can play."""

from __future__ import annotations

from replydraft import Email

MAIL = Email(
    subject="Waar blijft mijn bestelling?",
    body=(
        "Goedemiddag,\n\nOp 3 november heb ik een koffiezetapparaat besteld, bestelnummer 4471829. "
        "Het zou binnen twee werkdagen worden bezorgd, maar ik heb nog steeds niets ontvangen.\n\n"
        "Wanneer wordt mijn pakket bezorgd? En kan ik de bestelling nog annuleren als het deze week niet komt?\n\n"
        "Groet,\nMarieke"
    ),
    sender_name="Marieke de Vries",
    sender_address="marieke@example.nl",
    language="nl",
    register="u",
)

QUESTIONS = [
    "Wanneer wordt mijn pakket bezorgd?",
    "kan ik de bestelling nog annuleren als het deze week niet komt?",
]


def analysis(**changes) -> dict:
    data = {
        "questions": [{"quote": q, "kind": "question", "topic": ""} for q in QUESTIONS],
        "question_behind": "Kan ik erop rekenen dat het apparaat deze week komt?",
        "facts_given": [{"kind": "bestelnummer", "value": "4471829"}, {"kind": "besteldatum", "value": "3 november"}],
        "missing_info": [],
        "emotion": "ongeduldig",
        "emotion_intensity": 1,
        "our_mistake": True,
        "mistake_detail": "levering later dan beloofd",
        "broken_promise": True,
        "thanks_given": False,
        "intent": "levering navragen",
        "assumptions_to_verify": ["dat het pakket echt vertraagd is"],
    }
    data.update(changes)
    return data


GOOD_DRAFT = (
    "Beste Marieke de Vries,\n\n"
    "Uw pakket wordt morgen tussen 9.00 en 13.00 uur bezorgd. Dat is later dan we beloofden. "
    "Het spijt me dat u zo lang moest wachten.\n\n"
    "Wilt u toch annuleren? Dat kan tot het pakket er is. Antwoord dan op deze mail. "
    "Wij betalen het bedrag van 89,95 euro binnen drie werkdagen terug."
)

GOOD_REWRITE = (
    "Beste Marieke de Vries,\n\n"
    "Uw pakket komt morgen tussen 9.00 en 13.00 uur. Dat is later dan we beloofden. "
    "Het spijt me dat u zo lang moest wachten.\n\n"
    "Wilt u toch annuleren? Dat kan tot het pakket er is. Antwoord dan op deze mail. "
    "Wij betalen de 89,95 euro binnen drie werkdagen terug."
)
