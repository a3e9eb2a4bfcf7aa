"""Money amounts as mails and drafts write them ("€ 25", "49,95 euro", "$1,250.00"), and one normal form to compare them in."""

from __future__ import annotations

import re

AMOUNT = re.compile(
    r"(?:€|\beur\b|\beuro\b|\$|\busd\b)\s?(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:,-)?|"
    r"\b(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?(?:€|euro'?s?\b|eur\b|dollars?\b|usd\b)",
    re.IGNORECASE,
)


def amount_key(match: re.Match) -> str:
    """An AMOUNT match as "whole.cents": "€ 1.250,-", "1250 euro" and "1,250.00 EUR" are all "1250.00"."""
    number = match.group(1) or match.group(2)
    whole, _, cents = re.sub(r"[.,](\d{3})(?!\d)", r"\1", number).replace(",", ".").partition(".")
    return f"{int(whole)}.{(cents or '0').ljust(2, '0')[:2]}"
