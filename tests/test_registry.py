"""The registry is the one declaration of every finding code: docs, scorers and emitted findings agree with it."""

from __future__ import annotations

import json

from replydraft import check
from replydraft.checks import FINDING_CODES
from replydraft.checks.registry import BY_CODE, REGISTRY, detectors, markdown
from replydraft.evaluation import scorers
from replydraft.types import Analysis, Email

from .conftest import ROOT


def test_the_docs_page_is_the_registry():
    page = (ROOT / "docs" / "finding-codes.md").read_text(encoding="utf-8")
    assert page == markdown(), "docs/finding-codes.md is stale: python -m replydraft.checks > docs/finding-codes.md"


def test_codes_are_unique_and_scorers_come_from_the_registry():
    assert len({e.code for e in REGISTRY}) == len(REGISTRY)
    assert scorers.FINDING_CODES == FINDING_CODES == tuple(e.code for e in REGISTRY)


def test_every_detector_resolves_to_a_function():
    assert all(callable(d) for d in detectors())
    assert len(detectors()) == len({e.detector for e in REGISTRY if e.detector})


def test_emitted_findings_carry_the_registered_severity_and_rule():
    mail = Email(subject="Pakket", body="Mijn pakket 12345 is na twee weken nog niet binnen. Wanneer komt het? Dank u wel!")
    analysis = Analysis(thanks_given=True, our_mistake=True)
    drafts = [
        "Als u een review schrijft, krijgen u 10% korting. Wij betreuren het ongemak. We sturen het zo spoedig mogelijk. "
        "Beste [naam], vult u het formulier in en stuur het per post. Het pakket wordt door ons verzonden. "
        "Denk er maar niet over na. Hoi, je pakket komt. Stuur ons uw ordernummer. XXX",
        "Dear customer, we apologise for any inconvenience. Please rate us five stars. We'll get back to you soon.",
    ]
    seen = set()
    for text in drafts:
        for f in check(text, email=mail, analysis=analysis).findings:
            entry = BY_CODE[f.code]
            assert (f.severity, f.rule) == (entry.severity, entry.rule), f
            seen.add(f.code)
    assert len(seen) >= 8  # the test exercises many detectors, not one


def test_a_report_serialises_with_the_same_keys():
    report = check("We bellen u morgen voor 12.00 uur.", language="nl")
    keys = set(json.loads(report.model_dump_json()))
    assert {"status", "findings", "readability", "b1", "conditionality", "promises", "language", "register"} <= keys
