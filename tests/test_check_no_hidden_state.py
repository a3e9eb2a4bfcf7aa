"""A check keeps nothing of the mail or the draft once it returns: what a detector caches per draft lives
on the CheckContext and dies with the call. Caches of pack data, policies and single words may stay."""

from __future__ import annotations

import gc
import importlib
import pkgutil

import replydraft.checks
from replydraft import check
from replydraft.checks.base import CheckContext
from replydraft.policy import load_policy
from replydraft.tokenizer import tokenize
from replydraft.types import Email

IBAN = "NL36INGB0007654321"
PHONE = "06-48213957"
PHRASE = "pakket terug naar"


def _cache_keys():
    """The keys of every functools cache in replydraft.checks (in CPython a cache's dict is a referent of its wrapper)."""
    for found in pkgutil.iter_modules(replydraft.checks.__path__):
        if found.name.startswith("__"):
            continue
        module = importlib.import_module(f"replydraft.checks.{found.name}")
        for value in vars(module).values():
            if callable(value) and hasattr(value, "cache_info"):
                for referent in gc.get_referents(value):
                    if isinstance(referent, dict):
                        yield from referent


def test_no_cache_keeps_the_mail_or_the_draft():
    mail = Email(
        subject="Retour",
        body=f"Ik stuur het {PHRASE} jullie magazijn. Mijn rekening is {IBAN}, bel me gerust op {PHONE}.",
        sender_address="Kerkstraat 12, 1234 AB Utrecht",
    )
    draft = f"Beste klant, stuur het {PHRASE} ons adres. We storten het geld op {IBAN} en bellen u op {PHONE}."
    check(draft, language="nl", email=mail)
    kept = [key for key in _cache_keys() if any(value in repr(key) for value in (IBAN, PHONE, PHRASE))]
    assert not kept, kept


def test_a_check_context_shows_no_text_in_its_repr():
    """A context in a traceback or a log line carries neither the draft nor the mail."""
    mail = Email(subject="Retour", body=f"Mijn rekening is {IBAN}.")
    ctx = CheckContext(doc=tokenize(f"We bellen u op {PHONE}."), language="nl", policy=load_policy(None), email=mail)
    assert IBAN not in repr(ctx) and PHONE not in repr(ctx)
