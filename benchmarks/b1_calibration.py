"""How often the readability features and the B1 verdict agree with expert plain-language edits.

Reads ../shared/data/b1/amsterdam-complex-simple.csv (sentence pairs before and after an edit by
the City of Amsterdam's writers) and reports, per feature, the share of pairs whose simple side
scores as easier, as harder, and the same. An edit is a direction, not a label: some edits change
tone or spelling only, so "same" is common and 100% is not the goal.

    python benchmarks/b1_calibration.py [--csv PATH]
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

from replydraft.checks import check
from replydraft.checks.readability_stats import measure
from replydraft.policy import load_policy
from replydraft.tokenizer import tokenize

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "b1" / "amsterdam-complex-simple.csv"
# The anonymised spans would read as left-in placeholders; give them ordinary words.
ANONYMISED = {"[NAME]": "Jansen", "[ORGANIZATION]": "Stadsloket", "[ADDRESS]": "Dorpsstraat 1", "[NUMBER]": "12"}

# feature -> True when a higher value means easier
FEATURES = {
    "score": True,
    "words_per_sentence": False,
    "max_sentence_words": False,
    "long_word_ratio": False,
    "rare_word_ratio": False,
    "passive_sentences": False,
    "subordinate_max": False,
    "negations": False,
    "officialese": False,
}


def deanonymise(text: str) -> str:
    return re.sub(r"\[(NAME|ORGANIZATION|ADDRESS|NUMBER)\]", lambda m: ANONYMISED[m.group(0)], text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    args = parser.parse_args()
    policy = load_policy()
    with args.csv.open(encoding="utf-8", newline="") as f:
        pairs = [(deanonymise(r["Complex"]), deanonymise(r["Simple"])) for r in csv.DictReader(f)]
    pairs = [(c, s) for c, s in pairs if c.strip() and s.strip() and c.strip() != s.strip()]
    tally = {name: [0, 0, 0] for name in FEATURES}  # easier, same, harder
    verdicts = [0, 0, 0]
    complex_fail = simple_fail = 0
    for complex_text, simple_text in pairs:
        before, _ = measure(tokenize(complex_text), "nl", policy.b1.rare_word_zipf)
        after, _ = measure(tokenize(simple_text), "nl", policy.b1.rare_word_zipf)
        for name, higher_is_easier in FEATURES.items():
            a, b = getattr(before, name), getattr(after, name)
            if a is None or b is None:
                continue
            delta = (b - a) if higher_is_easier else (a - b)
            tally[name][0 if delta > 0 else 1 if delta == 0 else 2] += 1
        ok_before = check(complex_text, language="nl", policy=policy).b1.ok
        ok_after = check(simple_text, language="nl", policy=policy).b1.ok
        complex_fail += not ok_before
        simple_fail += not ok_after
        verdicts[0 if (ok_after and not ok_before) else 1 if ok_after == ok_before else 2] += 1

    print(f"{len(pairs)} changed sentence pairs from {args.csv.name}\n")
    print(f"{'feature':<22}{'simple easier':>14}{'same':>8}{'simple harder':>15}   right way when changed")
    for name, (easier, same, harder) in tally.items():
        total = easier + same + harder
        moved = easier + harder
        print(f"{name:<22}{easier / total:>14.1%}{same / total:>8.1%}{harder / total:>15.1%}   "
              f"{easier / moved if moved else 0:.1%}")
    total = sum(verdicts)
    moved = verdicts[0] + verdicts[2]
    print(f"{'B1 verdict':<22}{verdicts[0] / total:>14.1%}{verdicts[1] / total:>8.1%}{verdicts[2] / total:>15.1%}   "
          f"{verdicts[0] / moved if moved else 0:.1%}")
    print(f"\nnot B1: {complex_fail / total:.1%} of complex sentences, {simple_fail / total:.1%} of simple ones")


if __name__ == "__main__":
    main()
