"""How well `difficult_word` names the words real readers found hard, and how quiet it stays elsewhere.

- ../shared/data/real/amsterdam-difficult-words-dev.jsonl: municipal sentences, each with one word that
  native readers marked difficult (`complex_word`) and the sentence with their first simpler substitute
  (`text_simplified_first_sub`). Reports how many difficult words get a `difficult_word` finding (and how
  many get `officialese`, which takes precedence for a word that is both), and how many substitutes do.
- ../shared/data/real/ibm-agent-tweets-dev.jsonl: real agent replies; reports the needs_review rate, the
  `difficult_word` findings (count and words), and any B1 reason naming a URL, @handle, e-mail or number.

    python benchmarks/difficult_words.py [--show]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from pathlib import Path

from replydraft.checks import check

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
NOT_WORDS = re.compile(r"https?://|www\.|\S@\S|(?<!\w)@\w|(?<!\w)#\w|\d")
LINKS = re.compile(r"https?://|www\.|\S@\S|(?<!\w)@\w|(?<!\w)#\w")


def _covers(findings, text: str, word: str, codes: tuple[str, ...]) -> bool:
    where = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    return any(f.code in codes and f.start is not None and f.start <= w < f.end for f in findings for w in where)


def amsterdam(show: bool) -> None:
    rows = [json.loads(line) for line in (REAL / "amsterdam-difficult-words-dev.jsonl").open(encoding="utf-8")]
    named = official = subs = 0
    missed, flagged = [], []
    for row in rows:
        findings = check(row["text"], language="nl").findings
        if _covers(findings, row["text"], row["complex_word"], ("difficult_word",)):
            named += 1
        elif _covers(findings, row["text"], row["complex_word"], ("officialese",)):
            official += 1
        else:
            missed.append(row["complex_word"])
        sub = row["simpler_substitutes"][0]
        simple = row["text_simplified_first_sub"]
        if _covers(check(simple, language="nl").findings, simple, sub, ("difficult_word", "officialese")):
            subs += 1
            flagged.append(sub)
    n = len(rows)
    print(f"Amsterdam difficult words: {n}")
    print(f"  named by difficult_word: {named} ({named / n:.0%}); by officialese instead: {official}; "
          f"either: {named + official} ({(named + official) / n:.0%})")
    print(f"  first substitutes flagged: {subs} ({subs / n:.0%})")
    if show:
        print("  missed:", ", ".join(missed))
        print("  substitutes flagged:", ", ".join(flagged))


def tweets(show: bool) -> None:
    rows = [json.loads(line) for line in (REAL / "ibm-agent-tweets-dev.jsonl").open(encoding="utf-8")]
    review = bad_reasons = 0
    words: collections.Counter[str] = collections.Counter()
    for row in rows:
        report = check(row["text"], language="en")
        review += report.status == "needs_review"
        for f in report.findings:
            if f.code == "difficult_word":
                words[row["text"][f.start:f.end]] += 1
        for reason in report.b1.reasons:
            if "rare words" in reason:  # the words it lists
                bad_reasons += bool(NOT_WORDS.search(reason.split(":", 1)[1]))
            elif "“" in reason:  # the sentences it quotes
                bad_reasons += bool(LINKS.search(reason))
    n = len(rows)
    print(f"Agent tweets: {n}; needs_review {review} ({review / n:.0%}); "
          f"B1 reasons naming a URL/@handle/e-mail/#tag (or a number as a rare word): {bad_reasons}")
    print(f"  difficult_word findings: {sum(words.values())} in {n} tweets")
    if show:
        print("  ", ", ".join(f"{w} ({c})" for w, c in words.most_common(60)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list missed words, flagged substitutes and tweet words")
    args = parser.parse_args()
    amsterdam(args.show)
    tweets(args.show)


if __name__ == "__main__":
    main()
