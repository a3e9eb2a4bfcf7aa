"""False alarms and misses of the post-check on text written by others (../shared/data/real/).

    python benchmarks/real_text.py [--data ../shared/data/real] [--audit 100 --seed 14]

- Agent tweets (`ibm-agent-tweets-dev.jsonl`): each real agent reply checked alone with
  language="en": the needs_review rate, flags per code, and B1 reasons that name a URL, @handle,
  e-mail address or number as a word (there should be none).
- Bitext replies (`bitext-replies-dev.jsonl`): flags per code; `placeholder` against the items'
  own `has_placeholder`.
- Amsterdam difficult words (`amsterdam-difficult-words-dev.jsonl`): how many of the words that
  readers found difficult get a `difficult_word` finding, and how many of their first simpler
  substitutes do.

`--audit N` prints every error finding on N seeded tweets, for a person to judge. The material is
read from ../shared and never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

from replydraft import check
from replydraft.policy import load_policy

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
NOT_A_WORD = re.compile(r"https?://|www\.|@\w|\b[\w.+-]+@[\w-]+\.\w|\b\d")


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def tweets(data: Path, policy) -> dict:
    items = read(data / "ibm-agent-tweets-dev.jsonl")
    flags: Counter = Counter()
    review = bad_reasons = 0
    for item in items:
        report = check(item["text"], language="en", policy=policy)
        review += report.status == "needs_review"
        flags.update(f.code for f in report.findings)
        bad_reasons += any(_names_a_non_word(r) for r in report.b1.reasons)
    return {"items": len(items), "needs_review": review, "flags": flags, "b1_reasons_naming_non_words": bad_reasons}


def _names_a_non_word(reason: str) -> bool:
    """A rare-word reason lists words after its colon; none of them may be a URL, handle, address or number."""
    if "rare words" not in reason:
        return False
    listed = reason.split(":", 1)[1]
    return any(NOT_A_WORD.search(word) for word in listed.split(","))


def bitext(data: Path, policy) -> dict:
    items = read(data / "bitext-replies-dev.jsonl")
    flags: Counter = Counter()
    placeholder = Counter()
    for item in items:
        codes = {f.code for f in check(item["text"], language="en", policy=policy).findings}
        flags.update(codes)
        placeholder[(bool(item.get("has_placeholder")), "placeholder" in codes)] += 1
    return {"items": len(items), "flags": flags, "placeholder": placeholder}


def difficult_words(data: Path, policy) -> dict:
    items = [i for i in read(data / "amsterdam-difficult-words-dev.jsonl") if i["complex_word"] in i["text"]]
    named = substitutes = 0
    for item in items:
        named += _names(item["text"], item["complex_word"], policy)
        first = item["simpler_substitutes"][0] if item["simpler_substitutes"] else None
        if first and first in item["text_simplified_first_sub"]:
            substitutes += _names(item["text_simplified_first_sub"], first, policy)
    return {"items": len(items), "named": named, "substitutes_flagged": substitutes}


def _names(text: str, word: str, policy) -> bool:
    spans = [m.start() for m in re.finditer(re.escape(word), text)]
    findings = [f for f in check(text, language="nl", policy=policy).findings if f.code == "difficult_word"]
    return any(f.start is not None and f.start <= s < f.end for f in findings for s in spans)


def audit(data: Path, policy, n: int, seed: int) -> None:
    items = read(data / "ibm-agent-tweets-dev.jsonl")
    for item in random.Random(seed).sample(items, min(n, len(items))):
        errors = [f for f in check(item["text"], language="en", policy=policy).findings if f.severity == "error"]
        for f in errors:
            print(f"{item['id']}\t{f.code}\t{f.message[:160]}\n\t{item['text'][:300]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--audit", type=int, default=0, help="print the error findings of N seeded tweets")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    policy = load_policy()
    if args.audit:
        audit(args.data, policy, args.audit, args.seed)
        return
    t = tweets(args.data, policy)
    print(f"agent tweets: {t['items']} replies, needs_review {t['needs_review']} ({t['needs_review'] / t['items']:.0%}), "
          f"B1 reasons naming a URL/handle/address/number: {t['b1_reasons_naming_non_words']}")
    print("  flags per code: " + ", ".join(f"{c} {n}" for c, n in t["flags"].most_common()))
    b = bitext(args.data, policy)
    p = b["placeholder"]
    print(f"bitext replies: {b['items']}; placeholder: {p[(True, True)]} of {p[(True, True)] + p[(True, False)]} slotted "
          f"replies flagged, {p[(False, True)]} of {p[(False, True)] + p[(False, False)]} unslotted flagged")
    print("  flags per code: " + ", ".join(f"{c} {n}" for c, n in b["flags"].most_common()))
    d = difficult_words(args.data, policy)
    print(f"amsterdam difficult words: {d['named']} of {d['items']} named ({d['named'] / d['items']:.0%}); "
          f"first substitutes flagged: {d['substitutes_flagged']} ({d['substitutes_flagged'] / d['items']:.0%})")


if __name__ == "__main__":
    main()
