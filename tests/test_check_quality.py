"""The post-check's gated phrase codes reach their quality bar on the labelled development set.

The set (tests/data/check_devset.jsonl) holds Dutch and English sentences and short drafts, with
clean look-alikes for every code; benchmarks/check_quality.py prints the full table.
"""

from __future__ import annotations

import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from check_quality import ALWAYS_JUDGED, DEVSET, load_set, score_set  # noqa: E402


@pytest.fixture(scope="module")
def scores():
    return score_set(load_set(DEVSET))


def test_the_set_is_big_enough_to_mean_something():
    items = load_set(DEVSET)
    conditional = [i for i in items if "conditionality" in i["expect"]]
    # Look-alikes share the "cond-" id prefix: plain if-clauses that attach nothing to the help.
    look_alikes = [i for i in items if i["id"].startswith("cond-") and "conditionality" not in i["expect"]]
    assert len(conditional) >= 30 and len(look_alikes) >= 30
    assert {i["lang"] for i in items} == {"nl", "en"}


@pytest.mark.parametrize("code", ALWAYS_JUDGED)
def test_precision_and_recall(scores, code):
    s = scores[code]
    assert s.precision >= 0.95 and s.recall >= 0.90, (
        f"{code}: precision {s.precision:.2f}, recall {s.recall:.2f}\n" + "\n".join(s.misses)
    )
