"""Facts a rewrite must keep: numbers, amounts, dates, times, references, placeholders and promise times.

Compared in a normal form, so "€ 39,95" matches "39,95 euro", "12.00 uur" matches "12:00" and
"twee werkdagen" matches "2 werkdagen": a rewrite may change the wording, never the fact.
"""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    "een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7",
    "acht": "8", "negen": "9", "tien": "10", "elf": "11", "twaalf": "12", "veertien": "14", "twintig": "20",
    "dertig": "30", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "fourteen": "14", "thirty": "30",
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b(?=\s+(werk)?(dag|dagen|uur|weken|week|maanden|working|business|days?|hours?|weeks?))", re.I)
# Wider than masking.PLACEHOLDER (its nine kinds): whatever "[WORD_n]" the draft holds, a rewrite keeps it.
_ANY_PLACEHOLDER = r"\[[A-Z]+_\d+\]"
_TIME = re.compile(r"\b([01]?\d|2[0-3])[.:]([0-5]\d)\b(\s*uur)?")
_FACT = re.compile(
    _ANY_PLACEHOLDER + "|"                  # masked personal data
    r"(?<![\w.,])[A-Z]{0,4}-?\d[\d.,:/-]*\d(?![\w])|"  # numbers, amounts, dates, times, references
    r"(?<![\w.,])\d(?![\w.,])",
)


def _normal(fact: str) -> str:
    fact = fact.strip().rstrip(".,")
    time = _TIME.fullmatch(fact)
    if time:
        return f"{int(time.group(1)):02d}:{time.group(2)}"
    if re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d{2})?|\d+([.,]\d{1,2})?", fact):
        # An amount: 1.250,00 / 1250.00 / 39,95 / 39.95 all become 1250.00 / 39.95.
        if "," in fact:
            fact = fact.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", fact):
            fact = fact.replace(".", "")
        try:
            value = float(fact)
            return f"{value:.2f}" if value != int(value) else str(int(value))
        except ValueError:
            return fact
    return fact.upper()


def _spelled(text: str) -> str:
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], text)


def _canon(text: str) -> str:
    text = _TIME.sub(lambda m: f"{int(m.group(1)):02d}:{m.group(2)}", _spelled(text))
    return " ".join(text.lower().split())


def facts(text: str) -> dict[str, str]:
    """Normal form -> the fact as written."""
    found: dict[str, str] = {}
    for m in _FACT.finditer(_spelled(text)):
        found.setdefault(_normal(m.group(0)), m.group(0))
    return found


def lost_facts(before: str, after: str, promise_times: list[str] = ()) -> list[str]:
    """What `before` states that `after` no longer does."""
    kept = facts(after)
    lost = [written for key, written in facts(before).items() if key not in kept]
    after_words = _canon(after)
    for when in promise_times:
        if _canon(when) not in after_words and when not in lost:
            lost.append(when)
    return lost
