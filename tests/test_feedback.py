"""The feedback store: drafts and outcomes round-trip through SQLite and a real PostgreSQL server, masked;
migrations, concurrency, erasure, retention, the service endpoint, the reports and the eval export."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import create_engine, inspect, select, text

from replydraft import FakeBackend, draft_reply, read_email
from replydraft.errors import ConfigError, InputError
from replydraft.feedback import FeedbackStore, UnknownDraft, record_outcome
from replydraft.feedback.schema import drafts, metadata
from replydraft.feedback.store import store_key

from .helpers import analysis

KEY = b"k" * 32
CUSTOMER = {"name": "Anneke de Vries", "phone": "06-12345678", "iban": "NL91ABNA0417164300", "street": "Kerkstraat 12"}
MAIL = {
    "ticket_id": "ZD-4711",
    "subject": "Terugbetaling",
    "from": {"name": CUSTOMER["name"], "email": "anneke@example.nl"},
    "body": f"Goedemiddag,\n\nWanneer krijg ik mijn geld terug op {CUSTOMER['iban']}? Ik woon op {CUSTOMER['street']}, "
            f"1234 AB Utrecht. Bel me gerust op {CUSTOMER['phone']}.\n\nGroet,\nAnneke de Vries",
}
DRAFT = ("Beste [NAAM_1],\n\nWe storten het geld morgen voor 12.00 uur terug op [IBAN_1]. Dat is onze fout, sorry.\n\n"
         "Met vriendelijke groet,\nTeam Klantenservice")


def fake_reply(request):
    if request.phase.startswith("analysis"):
        return analysis(questions=[{"quote": "Wanneer krijg ik mijn geld terug op [IBAN_1]?"}], facts_given=[],
                        our_mistake=False, broken_promise=False)
    return DRAFT


def backend() -> FakeBackend:
    return FakeBackend(default=fake_reply)


def mail(**changes) -> dict:
    return {**MAIL, **changes}


def email(**changes):
    return read_email(json.dumps(mail(**changes)), kind="json")


def all_text(url: str) -> str:
    """Every value of every row of every table, as text: what a database dump would show."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        dumped = [json.dumps([list(map(str, row)) for row in connection.execute(select(table))]) for table in metadata.sorted_tables]
    engine.dispose()
    return "\n".join(dumped)


def test_a_draft_and_its_outcome_round_trip_masked(store_url):
    with FeedbackStore(store_url, KEY) as store:
        result = draft_reply(email(), backend=backend(), store=store)
        assert result.status in ("ready", "needs_review") and result.draft_id
        assert CUSTOMER["iban"] in result.text  # the agent gets the real values back
        sent = (f"Beste Anneke,\n\nWe storten het geld morgen voor 12.00 uur terug op {CUSTOMER['iban']}. "
                "Dat is onze fout, sorry. Bel ons gerust op 06-87654321.\n\nMet vriendelijke groet,\nTeam Klantenservice")
        outcome = store.record_outcome(result.draft_id, "sent", sent_text=sent, agent="agent-7")
        assert outcome["kind"] == "edited" and 0.7 < outcome["similarity"] < 0.98
        [row] = store.rows()
    assert row["ticket_id"] == "ZD-4711" and row["policy"] == "default" and row["model"] == "fake"
    assert row["status"] == result.status and row["prompt_hash"] == result.prompt_hash
    assert "[IBAN_1]" in row["draft"] and "[NAAM_1]" in row["draft"]
    # The sent text's values line up with the draft's placeholders; a value the draft never had gets a new one.
    assert row["sent_text"].startswith("Beste [NAAM_1],") and "op [IBAN_1]." in row["sent_text"]
    assert "[TELEFOON_2]" in row["sent_text"]
    # The agent added a sentence and left out the company line of the signature.
    assert row["changed_sentences"] == [{"draft": "", "sent": "Bel ons gerust op [TELEFOON_2]."},
                                        {"draft": "Voorbeeld BV", "sent": ""}]
    assert "[ADRES_1]" in row["mail"]["body"] and row["analysis"]["questions"][0]["quote"].endswith("[IBAN_1]?")
    dump = all_text(store_url)
    for value in (*CUSTOMER.values(), "Anneke", "06-87654321", "anneke@example.nl"):
        assert value not in dump, f"{value!r} is stored unmasked"


def test_the_keyed_hashes_need_the_key_to_line_up(store_url):
    with FeedbackStore(store_url, KEY) as store:
        result = draft_reply(email(), backend=backend(), store=store)
        with store.engine.connect() as connection:
            [stored] = connection.execute(select(drafts.c.value_hashes)).scalars().all()
    assert stored and all(len(h) == 64 and int(h, 16) >= 0 for h in stored)
    assert set(stored.values()) >= {"[NAAM_1]", "[IBAN_1]", "[TELEFOON_1]", "[ADRES_1]"}
    with FeedbackStore(store_url, b"another key of 32 characters...") as other:
        other.record_outcome(result.draft_id, "sent", sent_text=f"Beste Anneke, het geld staat op {CUSTOMER['iban']}.")
        [row] = other.rows()
    # Under another key nothing lines up: the values are masked all the same, with placeholders of their own.
    assert row["sent_text"] == "Beste [NAAM_2], het geld staat op [IBAN_2]."


def test_a_discarded_draft_and_a_sent_one_without_text(store_url):
    with FeedbackStore(store_url, KEY) as store:
        first = draft_reply(email(), backend=backend(), store=store)
        second = draft_reply(email(), backend=backend(), store=store)
        assert store.record_outcome(first.draft_id, "discarded")["kind"] == "discarded"
        assert store.record_outcome(second.draft_id, "sent")["kind"] == "sent_unknown"
        assert store.record_outcome(first.draft_id, "sent", sent_text=first.text)["kind"] == "as_is"  # the last report wins
        kinds = {r["draft_id"]: (r["outcome"], r["similarity"]) for r in store.rows()}
    assert kinds[first.draft_id] == ("sent", 1.0) and kinds[second.draft_id] == ("sent", None)


@pytest.mark.parametrize("call, message", [
    (lambda s, d: s.record_outcome(d, "kept"), "outcome must be one of sent, discarded"),
    (lambda s, d: s.record_outcome(d, "discarded", sent_text="x"), "sent_text goes with outcome 'sent' only"),
    (lambda s, d: s.record_outcome(d, "sent", sent_text="x" * 50_001), "sent_text is 50001 characters"),
])
def test_bad_outcomes_are_refused_with_what_was_wrong(tmp_path, call, message):
    with FeedbackStore(f"sqlite:///{tmp_path}/f.sqlite3", KEY) as store:
        result = draft_reply(email(), backend=backend(), store=store)
        with pytest.raises(InputError, match=message):
            call(store, result.draft_id)
        with pytest.raises(UnknownDraft, match="no draft with draft_id 'nope'"):
            store.record_outcome("nope", "sent")


def test_migrations_run_on_an_empty_database_and_on_one_at_the_previous_version(store_url):
    store = FeedbackStore(store_url, KEY, migrate=False)
    assert store.revision() is None
    store.migrate("0001")
    assert store.revision() == "0001"
    assert "value_hashes" not in {c["name"] for c in inspect(store.engine).get_columns("drafts")}
    now = datetime.now(UTC)
    with store.engine.begin() as connection:  # a draft and an outcome as version 0001 stored them
        connection.execute(text(
            "INSERT INTO drafts (draft_id, created_at, ticket_id, policy, model, prompt_hash, status, findings, mail, draft, "
            "timings_ms, prompt_tokens, completion_tokens) VALUES ('old1', :now, 'T-1', 'default', 'm', 'h', 'ready', '[]', "
            "'{\"subject\": \"\", \"body\": \"Waar is het?\", \"history\": \"\"}', 'Het komt morgen.', '{}', 1, 1)"), {"now": now})
        connection.execute(text("INSERT INTO outcomes (draft_id, recorded_at, outcome) VALUES ('old1', :now, 'discarded')"), {"now": now})
    store.migrate()
    assert store.revision() == "0002"
    assert "value_hashes" in {c["name"] for c in inspect(store.engine).get_columns("drafts")}
    [row] = store.rows()
    assert row["draft_id"] == "old1" and row["outcome"] == "discarded" and row["changed_sentences"] is None
    assert store.record_outcome("old1", "sent", sent_text="Het komt overmorgen.")["kind"] == "edited"
    store.migrate()  # again: nothing to do
    store.close()


def test_forget_leaves_no_row_about_the_ticket_in_any_table(store_url):
    with FeedbackStore(store_url, KEY) as store:
        gone = [draft_reply(email(ticket_id="ERASE-ME"), backend=backend(), store=store) for _ in range(2)]
        kept = draft_reply(email(ticket_id="KEEP"), backend=backend(), store=store)
        for result in (*gone, kept):
            store.record_outcome(result.draft_id, "sent", sent_text=f"Beste Anneke, het geld staat op {CUSTOMER['iban']}.")
        assert store.forget_ticket("ERASE-ME") == 2
        engine = store.engine
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                ids = {row.draft_id for row in connection.execute(select(table.c.draft_id))}
                assert not ids & {r.draft_id for r in gone}, f"{table.name} still has rows about the ticket"
                assert kept.draft_id in ids
        assert "ERASE-ME" not in all_text(store_url)
        assert store.forget_ticket("ERASE-ME") == 0


def test_retention_removes_old_drafts_with_their_outcomes(store_url):
    with FeedbackStore(store_url, KEY) as store:
        old, new = (draft_reply(email(), backend=backend()) for _ in range(2))
        store.record_draft(old, email(), policy="default", now=datetime.now(UTC) - timedelta(days=40))
        store.record_draft(new, email(), policy="default")
        store.record_outcome(old.draft_id, "discarded")
        assert store.purge(30) == 1
        assert [r["draft_id"] for r in store.rows()] == [new.draft_id]
        with store.engine.connect() as connection:
            assert connection.execute(select(metadata.tables["outcomes"]).where(
                metadata.tables["outcomes"].c.draft_id == old.draft_id)).first() is None


def test_a_hundred_concurrent_feedback_posts_lose_nothing(store_url):
    pytest.importorskip("fastapi")
    from replydraft.service import create_app

    store = FeedbackStore(store_url, KEY)
    ids = [draft_reply(email(), backend=backend(), store=store).draft_id for _ in range(100)]
    app = create_app(backend=backend(), tokens=["t0k3n"], store=store, warm_up=False)

    async def post_all():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await asyncio.gather(*(client.post(
                "/v1/feedback", headers={"Authorization": "Bearer t0k3n"},
                json={"draft_id": draft_id, "outcome": "sent", "sent_text": f"Reply number {i}.", "agent": f"agent-{i % 7}"})
                for i, draft_id in enumerate(ids)))

    responses = asyncio.run(post_all())
    assert [r.status_code for r in responses] == [200] * 100
    rows = store.rows()
    assert {r["draft_id"] for r in rows if r["outcome"] == "sent"} == set(ids)
    assert {r["sent_text"] for r in rows} == {f"Reply number {i}." for i in range(100)}
    store.close()


def test_the_service_records_every_draft_and_takes_feedback_outside_the_drafts_limit(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from replydraft.service import create_app

    store = FeedbackStore(f"sqlite:///{tmp_path}/f.sqlite3", KEY)
    app = create_app(backend=backend(), tokens=["t0k3n"], store=store, warm_up=False, max_concurrency=1)
    auth = {"Authorization": "Bearer t0k3n"}
    with TestClient(app, raise_server_exceptions=False) as client:
        drafted = client.post("/v1/drafts", json={"mail": mail()}, headers=auth).json()
        assert drafted["draft_id"] and [r["draft_id"] for r in store.rows()] == [drafted["draft_id"]]
        app.state.service.limits.active = 1  # every drafting slot taken
        assert client.post("/v1/drafts", json={"mail": mail()}, headers=auth).status_code == 429
        ok = client.post("/v1/feedback", json={"draft_id": drafted["draft_id"], "outcome": "discarded"}, headers=auth)
        assert ok.status_code == 200 and ok.json() == {"draft_id": drafted["draft_id"], "outcome": "discarded",
                                                       "similarity": None, "kind": "discarded"}
        missing = client.post("/v1/feedback", json={"draft_id": "nope", "outcome": "sent"}, headers=auth)
        assert missing.status_code == 404 and missing.json()["error"] == "not_found"
        bad = client.post("/v1/feedback", json={"draft_id": drafted["draft_id"], "outcome": "kept"}, headers=auth)
        assert bad.status_code == 422 and "outcome" in bad.json()["message"]
        assert client.post("/v1/feedback", json={"draft_id": "x", "outcome": "sent"}).status_code == 401
    store.close()
    bare = TestClient(create_app(backend=backend(), tokens=["t0k3n"], warm_up=False), raise_server_exceptions=False)
    assert bare.post("/v1/feedback", json={"draft_id": "x", "outcome": "sent"}, headers=auth).status_code == 503


def test_a_store_that_fails_costs_the_record_not_the_draft(tmp_path):
    store = FeedbackStore(f"sqlite:///{tmp_path}/f.sqlite3", KEY)
    with store.engine.begin() as connection:
        connection.execute(drafts.delete())
        connection.exec_driver_sql("DROP TABLE outcomes")
        connection.exec_driver_sql("DROP TABLE drafts")
    result = draft_reply(email(), backend=backend(), store=store)
    assert result.status in ("ready", "needs_review") and result.text
    assert "not recorded in the feedback store (see the log)" in result.notes
    store.close()


def test_eval_runs_and_unopted_library_calls_never_record(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    draft_reply(email(), backend=backend())
    assert not (tmp_path / "data").exists()


def test_record_outcome_is_public_and_opens_the_configured_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/f.sqlite3"
    monkeypatch.setenv("REPLYDRAFT_DATABASE_URL", url)
    with FeedbackStore() as store:
        result = draft_reply(email(), backend=backend(), store=store)
    assert record_outcome(result.draft_id, "discarded")["kind"] == "discarded"
    assert oct(stat.S_IMODE(os.stat(f"{tmp_path}/f.sqlite3.key").st_mode)) == "0o600"


def test_a_shared_database_needs_the_deployment_key(monkeypatch):
    with pytest.raises(ConfigError, match="REPLYDRAFT_STORE_KEY is not set"):
        store_key("postgresql://replydraft@db.internal/replydraft")
    monkeypatch.setenv("REPLYDRAFT_STORE_KEY", "short")
    with pytest.raises(ConfigError, match="REPLYDRAFT_STORE_KEY is too short"):
        store_key("postgresql://replydraft@db.internal/replydraft")


def test_the_retention_setting_is_checked(monkeypatch):
    from replydraft.feedback.store import retention_days

    assert retention_days(90) == 90 and retention_days() is None
    monkeypatch.setenv("REPLYDRAFT_RETENTION_DAYS", "30")
    assert retention_days(90) == 30
    monkeypatch.setenv("REPLYDRAFT_RETENTION_DAYS", "a month")
    with pytest.raises(ConfigError, match="REPLYDRAFT_RETENTION_DAYS must be a whole number of days"):
        retention_days()


@pytest.mark.parametrize("ticket, problem", [([1], "ticket_id"), ("", "ticket_id"), ("x" * 201, "ticket_id")])
def test_the_helpdesk_json_carries_an_optional_ticket_id(ticket, problem):
    assert email(ticket_id=4711).ticket_id == "4711"
    assert read_email(json.dumps({"body": "Waar is mijn pakket?"}), kind="json").ticket_id is None
    with pytest.raises(InputError, match=problem):
        email(ticket_id=ticket)


def test_report_export_and_eval_over_the_exported_items(tmp_path, monkeypatch, capsys):
    from replydraft.cli import main
    from replydraft.evaluation.runner import run_eval
    from replydraft.evaluation.sets import load_set
    from replydraft.policy import load_policy

    url = f"sqlite:///{tmp_path}/f.sqlite3"
    monkeypatch.setenv("REPLYDRAFT_DATABASE_URL", url)
    with FeedbackStore() as store:
        results = [draft_reply(email(ticket_id=f"T{i}"), backend=backend(), store=store) for i in range(4)]
        store.record_outcome(results[0].draft_id, "sent", sent_text=results[0].text)
        store.record_outcome(results[1].draft_id, "sent", sent_text="Beste Anneke,\n\nHet geld staat vrijdag op uw rekening.")
        store.record_outcome(results[2].draft_id, "discarded")
    assert main(["feedback", "report", "--html", str(tmp_path / "report.html")]) == 0
    shown = capsys.readouterr().out
    assert "| all drafts | 4 | 3 | 33% | 33% | 33% | 0% |" in shown
    assert "<svg" in (tmp_path / "report.html").read_text()
    assert main(["feedback", "export", "--min-edit", "0.2", "--out", str(tmp_path / "from-agents.jsonl")]) == 0
    [item] = load_set(tmp_path / "from-agents.jsonl")
    assert item.annotations.reference.startswith("Beste [NAAM_1]") and item.annotations.findings is not None
    assert item.annotations.questions == ["Wanneer krijg ik mijn geld terug op [IBAN_1]?", "Bel me gerust op [TELEFOON_1]."]
    assert "[IBAN_1]" in item.mail.body
    [record] = asyncio.run(run_eval([("from-agents", item)], backend=backend(), policy=load_policy("default"),
                                    out=tmp_path / "run", quiet=True))
    # The same draft is exactly as close to the agent's reply as before: it reaches the bar, and no more.
    assert record["scores"]["reference_similarity"]["passed"] is True
    from replydraft.evaluation.scorers import reference_similarity
    from replydraft.types import DraftResult

    further = DraftResult(status="ready", text="Goedemiddag, wij kijken ernaar en laten het u weten.")
    assert reference_similarity(item, further).passed is False
    assert main(["feedback", "forget", "--ticket", "T1"]) == 0
    with FeedbackStore() as store:
        assert results[1].draft_id not in {r["draft_id"] for r in store.rows()}


def test_the_service_applies_retention_when_it_starts(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from replydraft.service import create_app

    store = FeedbackStore(f"sqlite:///{tmp_path}/f.sqlite3", KEY)
    old, new = (draft_reply(email(), backend=backend()) for _ in range(2))
    store.record_draft(old, email(), policy="default", now=datetime.now(UTC) - timedelta(days=31))
    store.record_draft(new, email(), policy="default")
    app = create_app(backend=backend(), tokens=["t0k3n"], store=store, warm_up=False, retention_days=30)
    with TestClient(app):
        deadline = datetime.now() + timedelta(seconds=20)
        while len(store.rows()) > 1 and datetime.now() < deadline:  # the purge runs as the service starts
            asyncio.run(asyncio.sleep(0.05))
        assert [r["draft_id"] for r in store.rows()] == [new.draft_id]
    store.close()


def test_a_nul_character_in_feedback_is_bad_input_not_a_server_error(store_url):
    with FeedbackStore(store_url, KEY) as store:
        result = draft_reply(email(), backend=backend(), store=store)
        for arguments in ({"sent_text": "Hallo\x00 daar"}, {"agent": "agent\x00"}):
            with pytest.raises(InputError, match="NUL"):
                store.record_outcome(result.draft_id, "sent", **arguments)
        with pytest.raises(InputError, match="NUL"):
            store.record_outcome("d\x00", "sent")
    with pytest.raises(InputError, match="ticket_id"):
        email(ticket_id="T\x001")


def test_forget_finds_a_ticket_written_with_other_spacing(tmp_path):
    with FeedbackStore(f"sqlite:///{tmp_path}/f.sqlite3", KEY) as store:
        draft_reply(email(ticket_id="ZD 4711"), backend=backend(), store=store)
        assert store.forget_ticket("  ZD  4711 ") == 1


def test_a_refused_key_during_a_draft_is_logged_for_the_operator(caplog):
    from replydraft.errors import BackendConfigError

    refused = FakeBackend(default=BackendConfigError("the model server at http://llm refused the API key (401)"))
    with caplog.at_level("ERROR", logger="replydraft.pipeline"):
        result = draft_reply(email(), backend=refused)
    assert result.status == "error" and "refused the API key" in result.error
    assert any("model configuration" in r.getMessage() and "401" in r.getMessage() for r in caplog.records)


def test_a_wrong_profile_setting_stops_the_service_at_start(monkeypatch):
    pytest.importorskip("fastapi")
    from replydraft.service import create_app

    monkeypatch.setenv("REPLYDRAFT_PROFILE", "bogus")
    with pytest.raises(ConfigError, match="REPLYDRAFT_PROFILE"):
        create_app(backend=backend(), tokens=["t0k3n"], warm_up=False)


def test_the_service_answers_a_nul_in_feedback_with_422(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from replydraft.service import create_app

    store = FeedbackStore(f"sqlite:///{tmp_path}/f.sqlite3", KEY)
    auth = {"Authorization": "Bearer t0k3n"}
    with TestClient(create_app(backend=backend(), tokens=["t0k3n"], store=store, warm_up=False)) as client:
        drafted = client.post("/v1/drafts", json={"mail": mail()}, headers=auth).json()
        answer = client.post("/v1/feedback", headers=auth,
                             json={"draft_id": drafted["draft_id"], "outcome": "sent", "sent_text": "Hallo\u0000 daar"})
        assert answer.status_code == 422 and "NUL" in answer.json()["message"]
    store.close()
