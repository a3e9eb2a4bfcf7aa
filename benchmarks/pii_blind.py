"""Score personal-data masking on a labelled file: recall and precision per type, and values that must stay.

    python benchmarks/pii_blind.py tests/data/dev/pii.jsonl [--detector replydraft|deduce] [--show]

One JSON object per line: {"id", "lang", "text", "entities": [{"type", "value"}], "keep": [...]}, where
each value is an exact substring of the text. Scoring:
- recall per type: an entity counts as masked when masked spans cover every letter and digit of every
  place its value occurs in the text. Partial cover does not count (half a name, an IBAN without its
  last group, is still readable), for names too;
- precision per type: a masked span of that type that overlaps no entity of that type is a false
  alarm (a masked name over a labelled address is a false alarm for NAAM and a miss for ADRES);
- keep values masked: a "keep" value any of whose places overlaps any masked span.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TYPES = ["IBAN", "BSN", "EMAIL", "TELEFOON", "POSTCODE", "KAART", "GEBOORTEDATUM", "NAAM", "ADRES"]


def places(text: str, value: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(value), text)] if value else []


def covered(text: str, place: tuple[int, int], spans: list[tuple[int, int, str]]) -> bool:
    return all(any(s <= i < e for s, e, _ in spans) for i in range(*place) if text[i].isalnum())


def score(items: list[dict], detect) -> dict:
    """detect(text) -> [(start, end, type)]; returns counts per type and the failures."""
    counts = {t: Counter() for t in TYPES}
    failures = []
    for item in items:
        text, spans = item["text"], detect(item["text"])
        by_type: dict[str, list] = {}
        for entity in item["entities"]:
            where = places(text, entity["value"])
            by_type.setdefault(entity["type"], []).extend(where)
            hit = bool(where) and all(covered(text, p, spans) for p in where)
            counts[entity["type"]]["tp" if hit else "fn"] += 1
            if not hit:
                failures.append((item["id"], "missed", entity["type"], entity["value"]))
        for start, end, kind in spans:
            if not any(s < end and start < e for s, e in by_type.get(kind, [])):
                counts.setdefault(kind, Counter())["fp"] += 1
                failures.append((item["id"], "false alarm", kind, text[start:end]))
        for value in item.get("keep", []):
            counts["_keep"]["total"] = counts.setdefault("_keep", Counter())["total"] + 1
            if any(s < e2 and s2 < e for s, e in places(text, value) for s2, e2, _ in spans):
                counts["_keep"]["masked"] += 1
                failures.append((item["id"], "keep value masked", "-", value))
    return {"counts": counts, "failures": failures}


def replydraft_detector():
    from replydraft.masking import mask

    return lambda text: [(e.start, e.end, e.type) for e in mask(text).entities]


def deduce_detector(cache_path: str = "/tmp/deduce_cache"):
    """deduce's annotations mapped to our types (persoon→NAAM, locatie→ADRES, ...); for the comparison only."""
    import logging

    from deduce import Deduce

    logging.getLogger().handlers.clear()  # deduce's import set logging to DEBUG on stdout
    model = Deduce(cache_path=cache_path)
    mapping = {"persoon": "NAAM", "patient": "NAAM", "locatie": "ADRES", "telefoonnummer": "TELEFOON", "emailadres": "EMAIL",
               "bsn": "BSN", "iban": "IBAN", "datum": "GEBOORTEDATUM", "id": "ID", "postcode": "POSTCODE", "url": "URL",
               "leeftijd": "LEEFTIJD", "ziekenhuis": "LOCATIE", "instelling": "INSTELLING"}

    def detect(text: str) -> list[tuple[int, int, str]]:
        doc = model.deidentify(text)
        return [(a.start_char, a.end_char, mapping.get(a.tag.split("_")[0], a.tag.upper())) for a in doc.annotations]

    return detect


def table(result: dict) -> list[str]:
    lines = ["| type | labelled | masked | missed | false alarms | precision | recall |", "|---|---:|---:|---:|---:|---:|---:|"]
    for kind in TYPES + sorted(k for k in result["counts"] if k not in TYPES and k != "_keep"):
        c = result["counts"].get(kind, Counter())
        tp, fn, fp = c["tp"], c["fn"], c["fp"]
        if not tp + fn + fp:
            continue
        precision = f"{tp / (tp + fp):.3f}" if tp + fp else "–"
        recall = f"{tp / (tp + fn):.3f}" if tp + fn else "–"
        lines.append(f"| {kind} | {tp + fn} | {tp} | {fn} | {fp} | {precision} | {recall} |")
    keep = result["counts"].get("_keep", Counter())
    lines.append(f"\nkeep values masked: {keep['masked']} of {keep['total']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--detector", choices=["replydraft", "deduce"], default="replydraft")
    parser.add_argument("--show", action="store_true", help="print every miss and false alarm")
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    detect = replydraft_detector() if args.detector == "replydraft" else deduce_detector()
    result = score(items, detect)
    print(f"{len(items)} mails from {args.file}, detector {args.detector}")
    print("\n".join(table(result)))
    if args.show:
        for failure in result["failures"]:
            print("  ", *failure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
