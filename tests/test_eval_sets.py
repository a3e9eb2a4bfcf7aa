"""The eval set format: good items load, every bad line is refused with its file, line and problem."""

from __future__ import annotations

import json

import pytest

from replydraft.errors import InputError
from replydraft.evaluation.sets import load_set, load_sets

BODY = "Goedemiddag,\n\nMijn pakket (bestelnummer 48213) is nog niet binnen. Wanneer komt het?\n\nGroet,\nSanne"


def item(id="nl-pakket-01", **annotations):
    base = {"language": "nl", "register": "u", "questions": ["Wanneer komt het?"], "facts_given": ["bestelnummer 48213"]}
    base.update(annotations)
    return {"id": id, "mail": {"subject": "Pakket", "body": BODY}, "annotations": base}


def write(tmp_path, *rows, name="set.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_a_good_item_loads_and_reads_as_an_email(tmp_path):
    (loaded,) = load_set(write(tmp_path, item()))
    assert loaded.annotations.questions == ["Wanneer komt het?"]
    assert "bestelnummer 48213" in loaded.email().body


@pytest.mark.parametrize(
    "row, problem",
    [
        ("{not json", "invalid JSON"),
        (item(annotations_extra=1), "unknown key 'annotations.annotations_extra'"),
        (item(questions=["Waar blijft mijn geld?"]), "not quoted word for word"),
        ({**item(), "mail": {"body": ""}}, "'mail.body'"),
    ],
)
def test_a_bad_line_names_the_file_the_line_and_the_problem(tmp_path, row, problem):
    path = write(tmp_path, item("ok-01"), row)
    with pytest.raises(InputError) as err:
        load_set(path)
    assert "set.jsonl line 2" in str(err.value) and problem in str(err.value)


def test_duplicate_ids_are_refused_within_and_across_sets(tmp_path):
    with pytest.raises(InputError, match="already used on line 1"):
        load_set(write(tmp_path, item("a"), item("a")))
    first, second = write(tmp_path, item("a"), name="een.jsonl"), write(tmp_path, item("a"), name="twee.jsonl")
    with pytest.raises(InputError, match="in both een.jsonl and twee.jsonl"):
        load_sets([first, second])


def test_an_empty_or_missing_set_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no items"):
        load_set(write(tmp_path, ""))
    with pytest.raises(InputError, match="not found"):
        load_set(tmp_path / "missing.jsonl")
