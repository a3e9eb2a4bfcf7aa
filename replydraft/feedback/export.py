"""`replydraft feedback export`: drafts the agents edited heavily, as eval items with the sent text as reference."""

from __future__ import annotations

import json
from pathlib import Path

from ..evaluation.sets import Annotations, EvalItem, Mail

_REGISTERS = {"nl": "u", "en": "formal"}  # when the check could not tell, the language's usual register


def eval_items(rows: list[dict], min_edit: float) -> list[EvalItem]:
    """Items from every sent draft whose edit (1 - similarity) is at least `min_edit`."""
    items = []
    for row in rows:
        if row["outcome"] != "sent" or row["similarity"] is None or 1 - row["similarity"] < min_edit:
            continue
        language = row["language"] if row["language"] in _REGISTERS else "nl"
        register = row["register"] if row["register"] in ("u", "je", "formal", "informal") else _REGISTERS[language]
        analysis = row["analysis"] or {}
        body = row["mail"]["body"]
        questions = [q["quote"] for q in analysis.get("questions", []) if q.get("quote") and q["quote"] in body]
        items.append(EvalItem(
            id=f"agent-{row['draft_id'][:16]}",
            situation=f"edited by an agent ({row['created_at'].date().isoformat()}, policy {row['policy']}, "
                      f"similarity {row['similarity']:.2f})",
            mail=Mail(subject=row["mail"]["subject"], body=body),
            annotations=Annotations(
                language=language, register=register, questions=questions,
                facts_given=[f"{f['kind']}: {f['value']}" for f in analysis.get("facts_given", []) if isinstance(f, dict)],
                reference=row["sent_text"], reference_similarity=row["similarity"],
                findings=sorted({f["code"] for f in row["findings"]}),
            ),
        ))
    return items


def write(items: list[EvalItem], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as file:
        for item in items:
            file.write(json.dumps(item.model_dump(mode="json", by_alias=True, exclude_defaults=True), ensure_ascii=False) + "\n")
