"""The helpdesk apps: manifests against schemas written from the vendors' docs, and the iframe code in
Debian's Chromium with a stubbed helpdesk client (no vendor validator or account is reachable here)."""

from __future__ import annotations

import copy
import functools
import http.server
import json
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")

from .browser import browser_page, free_port  # noqa: E402

APPS = Path(__file__).resolve().parents[1] / "integrations"
SCHEMAS = APPS / "schemas"
FILES = {
    "zendesk-manifest": APPS / "zendesk" / "manifest.json",
    "freshdesk-manifest": APPS / "freshdesk" / "manifest.json",
    "freshdesk-requests": APPS / "freshdesk" / "config" / "requests.json",
    "freshdesk-iparams": APPS / "freshdesk" / "config" / "iparams.json",
}
DRAFT = "Beste Sanne,\n\nUw pakket komt morgen voor 12.00 uur. Dat is onze fout.\n\nMet vriendelijke groet,\n\nTeam Klantenservice"
RESULT = {
    "draft_id": "d1", "status": "needs_review", "text": DRAFT, "error": None,
    "checks": {"findings": [{"code": "vague_promise", "severity": "warning", "message": "Vage tijd: zeg wanneer",
                             "start": 0, "end": 5, "suggestion": None}]},
}


def errors(name: str, document: dict) -> list[str]:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(document)]


def shipped(name: str) -> dict:
    return json.loads(FILES[name].read_text())


@pytest.mark.parametrize("name", list(FILES))
def test_each_shipped_file_matches_its_schema(name):
    assert errors(name, shipped(name)) == []


def _without_secure(m):
    for p in m["parameters"]:
        p.pop("secure", None)


@pytest.mark.parametrize("name, break_it, why", [
    ("zendesk-manifest", _without_secure, "the token is not a secure setting"),
    ("zendesk-manifest", lambda m: m.pop("domainWhitelist"), "secure settings without domainWhitelist"),
    ("zendesk-manifest", lambda m: m["location"]["support"].update(ticket_sidbar="assets/iframe.html"), "a misspelt location"),
    ("zendesk-manifest", lambda m: m.update(frameworkVersion="1.0"), "the old framework"),
    ("zendesk-manifest", lambda m: m.update(domainWhitelist=["https://replydraft.example.com"]), "a scheme in domainWhitelist"),
    ("zendesk-manifest", lambda m: m.pop("author"), "no author"),
    ("freshdesk-manifest", lambda m: m.update({"platform-version": "2.3"}), "the old platform"),
    ("freshdesk-manifest", lambda m: m["modules"]["support_ticket"]["location"]["ticket_sidebar"].pop("icon"), "a sidebar without icon"),
    ("freshdesk-manifest", lambda m: m["modules"].update(supportTicket={}), "an unknown module"),
    ("freshdesk-requests", lambda r: r["draftReply"]["schema"].update(host="127.0.0.1"), "an IP address as host"),
    ("freshdesk-requests", lambda r: r["draftReply"]["schema"].update(host="https://replydraft.example.com"), "a scheme in the host"),
    ("freshdesk-requests", lambda r: r["draftReply"]["schema"].update(host="localhost"), "localhost"),
    ("freshdesk-requests", lambda r: r["draftReply"]["schema"].update(protocol="http"), "plain http"),
    ("freshdesk-requests", lambda r: r["draftReply"]["options"].update(maxAttempts=9), "too many attempts"),
    ("freshdesk-iparams", lambda i: i["api_token"].pop("secure"), "the token is not a secure iparam"),
    ("freshdesk-iparams", lambda i: i["service_host"].update(type="string"), "an unknown iparam type"),
])
def test_the_schemas_reject_real_mistakes(name, break_it, why):
    document = copy.deepcopy(shipped(name))
    break_it(document)
    assert errors(name, document), why


def test_the_template_and_its_declaration_agree():
    declared = set(shipped("freshdesk-manifest")["modules"]["common"]["requests"])
    assert declared == set(shipped("freshdesk-requests")) == {"draftReply", "draftFeedback"}
    assert shipped("freshdesk-requests")["draftFeedback"]["schema"]["path"] == "/v1/feedback"
    template = shipped("freshdesk-requests")["draftReply"]["schema"]
    assert template["path"] == "/v1/drafts" and template["method"] == "POST"
    assert template["headers"]["Authorization"] == "Bearer <%= iparam.api_token %>"
    assert "draftReply" in (APPS / "freshdesk" / "app" / "scripts" / "app.js").read_text()


# --- the apps' iframe code in a browser, against stubbed helpdesk clients ---------------------------

ZAF_STUB = """
window.calls = [];
window.handlers = {};
window.fire = (name) => Promise.all((handlers[name] || []).map((h) => h()));
window.ZAFClient = { init() { return {
  on(name, handler) { (handlers[name] = handlers[name] || []).push(handler); },
  get(keys) {
    calls.push(["get", keys]);
    const all = {
      "ticket.id": 4711,
      "ticket.subject": "Waar blijft mijn pakket?",
      "ticket.requester": {name: "Sanne Bakker", email: "sanne@example.nl"},
      "ticket.comments": [
        {value: "<p>Mijn pakket is nog niet binnen.</p>", author: {role: "end-user", name: "Sanne Bakker"}},
        {value: "<p>We kijken het na.</p>", author: {role: "agent", name: "Piet"}},
        {value: "<p>Het is nu een week later.<br>Wanneer komt het?</p>", author: {role: "end-user", name: "Sanne Bakker"}},
        ...(window.submitted || [])
      ],
      "currentUser.locale": "nl"
    };
    const wanted = Array.isArray(keys) ? keys : [keys];
    return Promise.resolve(Object.fromEntries(wanted.map(k => [k, all[k]])));
  },
  metadata() { return Promise.resolve({settings: {service_url: "https://replydraft.example.com/", token: null}}); },
  request(options) { calls.push(["request", options]); return window.answer(options); },
  invoke(name, value) { calls.push(["invoke", name, value]); return Promise.resolve({}); }
}; } };
"""

FDK_STUB = """
window.calls = [];
window.handlers = {};
window.fire = (name) => Promise.all((handlers[name] || []).map((h) => h()));
window.app = { initialized() { return Promise.resolve({
  events: { on(name, handler) { (handlers[name] = handlers[name] || []).push(handler); } },
  data: { get(what) {
    calls.push(["data.get", what]);
    const all = {
      ticket: {ticket: {id: 815, subject: "Waar blijft mijn pakket?", description_text: "Mijn pakket is nog niet binnen. Wanneer komt het?"}},
      requester: {requester: {name: "Sanne Bakker", email: "sanne@example.nl"}},
      loggedInUser: {loggedInUser: {contact: {language: "nl"}}}
    };
    return Promise.resolve(all[what]);
  } },
  request: { invokeTemplate(name, options) { calls.push(["invokeTemplate", name, options]); return window.answer(name, options); } },
  interface: { trigger(action, options) { calls.push(["trigger", action, options]); return Promise.resolve({}); } }
}); } };
"""


@contextmanager
def serve_app(root: Path):
    """An app's web root on 127.0.0.1, as the vendor serves it; FDK's {{{appclient}}} points at the stub."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.endswith("index.html"):
                page = (root / "index.html").read_text().replace("{{{appclient}}}", "/fdk-client-stub.js")
                self._send(page.encode(), "text/html")
            elif self.path == "/fdk-client-stub.js":
                self._send(FDK_STUB.encode(), "text/javascript")
            else:
                super().do_GET()

        def _send(self, body: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def zendesk_page(page, url: str, answer_js: str):
    page.route("https://static.zdassets.com/**", lambda route: route.fulfill(
        content_type="text/javascript", body=ZAF_STUB + f"\nwindow.answer = {answer_js};"))
    page.goto(f"{url}/assets/iframe.html")


def test_zendesk_app_drafts_shows_the_findings_and_inserts_the_draft():
    with serve_app(APPS / "zendesk") as url, browser_page() as page:
        zendesk_page(page, url, f"() => Promise.resolve({json.dumps(RESULT)})")
        page.click("#draft")
        page.locator("#insert").wait_for(state="visible")
        assert page.locator("#status").inner_text() == "Nakijken"
        assert page.locator("#findings li").all_inner_texts() == ["Vage tijd: zeg wanneer"]
        page.click("#insert")
        calls = page.evaluate("calls")
        request = next(c[1] for c in calls if c[0] == "request")
        assert request["url"] == "https://replydraft.example.com/v1/drafts" and request["type"] == "POST"
        assert request["secure"] is True and request["cors"] is False
        assert request["headers"]["Authorization"] == "Bearer {{setting.token}}"
        body = json.loads(request["data"])
        assert body["mail"]["body"] == "Het is nu een week later.\nWanneer komt het?"
        assert body["mail"]["from"] == {"name": "Sanne Bakker", "email": "sanne@example.nl"}
        assert [c["body"] for c in body["mail"]["thread"]] == ["We kijken het na.", "Mijn pakket is nog niet binnen."]
        assert ["invoke", "ticket.editor.insert", DRAFT] in calls


def test_zendesk_app_shows_the_services_message_and_inserts_nothing_on_a_429():
    rejection = "() => Promise.reject({status: 429, responseJSON: {error: 'busy', message: 'de service is druk; probeer het zo opnieuw'}})"
    with serve_app(APPS / "zendesk") as url, browser_page() as page:
        zendesk_page(page, url, rejection)
        page.click("#draft")
        page.locator("#status.error").wait_for()
        assert "de service is druk" in page.locator("#status").inner_text()
        assert page.locator("#insert").is_hidden()
        assert not [c for c in page.evaluate("calls") if c[0] == "invoke" and c[1] == "ticket.editor.insert"]


def freshdesk_page(page, url: str, answer_js: str):
    page.add_init_script(f"window.answer = {answer_js};")
    page.goto(f"{url}/index.html")


def test_freshdesk_app_drafts_through_the_template_and_sets_the_editor():
    answer = f"() => Promise.resolve({{status: 200, response: {json.dumps(json.dumps(RESULT))}}})"
    with serve_app(APPS / "freshdesk" / "app") as url, browser_page() as page:
        freshdesk_page(page, url, answer)
        page.click("#draft")
        page.locator("#insert").wait_for(state="visible")
        assert page.locator("#status").inner_text() == "Nakijken"
        page.click("#insert")
        page.wait_for_function("calls.some(c => c[0] === 'trigger' && c[1] === 'setValue')")
        calls = page.evaluate("calls")
        name, options = next((c[1], c[2]) for c in calls if c[0] == "invokeTemplate")
        assert name == "draftReply"
        body = json.loads(options["body"])
        assert body["mail"]["body"] == "Mijn pakket is nog niet binnen. Wanneer komt het?"
        assert ["trigger", "setValue", {"id": "editor", "text": DRAFT}] in calls


def test_freshdesk_app_shows_a_failed_draft_and_sets_nothing():
    failed = {"status": "error", "text": "", "error": "de modelserver antwoordde niet op tijd"}
    answer = f"() => Promise.resolve({{status: 200, response: {json.dumps(json.dumps(failed))}}})"
    with serve_app(APPS / "freshdesk" / "app") as url, browser_page() as page:
        freshdesk_page(page, url, answer)
        page.click("#draft")
        page.locator("#status.error").wait_for()
        assert "de modelserver antwoordde niet op tijd" in page.locator("#status").inner_text()
        assert page.locator("#insert").is_hidden()
        assert not [c for c in page.evaluate("calls") if c[0] == "trigger" and c[1] == "setValue"]


def feedback_posts(calls: list) -> list[dict]:
    zendesk = [json.loads(c[1]["data"]) for c in calls if c[0] == "request" and c[1]["url"].endswith("/v1/feedback")]
    freshdesk = [json.loads(c[2]["body"]) for c in calls if c[0] == "invokeTemplate" and c[1] == "draftFeedback"]
    return zendesk + freshdesk


def test_zendesk_app_reports_a_replaced_draft_discarded_and_an_inserted_one_sent_with_the_final_reply():
    answer = ("(options) => Promise.resolve(options.url.endsWith('/v1/feedback') ? {} : "
              f"Object.assign({json.dumps(RESULT)}, {{draft_id: 'd' + (++window.drafted)}}))")
    with serve_app(APPS / "zendesk") as url, browser_page() as page:
        page.add_init_script("window.drafted = 0;")
        zendesk_page(page, url, answer)
        page.click("#draft")
        page.locator("#insert").wait_for(state="visible")
        page.click("#draft")  # a new draft before the first was inserted
        page.locator("#draft:not([disabled])").wait_for()
        page.locator("#insert").wait_for(state="visible")
        page.click("#insert")
        page.evaluate("window.submitted = [{value: '<p>Beste Sanne,</p><p>Uw pakket komt vrijdag.</p>', "
                      "author: {role: 'agent', name: 'Piet'}}]; fire('ticket.submit.done')")
        page.wait_for_function("calls.filter(c => c[0] === 'request' && c[1].url.endsWith('/v1/feedback')).length === 2")
        calls = page.evaluate("calls")
        assert feedback_posts(calls) == [{"draft_id": "d1", "outcome": "discarded"},
                                         {"draft_id": "d2", "outcome": "sent", "sent_text": "Beste Sanne,\n\nUw pakket komt vrijdag."}]
        drafted = json.loads(next(c[1]["data"] for c in calls if c[0] == "request" and c[1]["url"].endswith("/v1/drafts")))
        assert drafted["mail"]["ticket_id"] == "4711"


def test_freshdesk_app_reports_a_replaced_draft_discarded_and_an_inserted_one_sent_without_its_text():
    answer = ("(name, options) => Promise.resolve(name === 'draftFeedback' ? {status: 200, response: '{}'} : "
              f"{{status: 200, response: JSON.stringify(Object.assign({json.dumps(RESULT)}, {{draft_id: 'd' + (++window.drafted)}}))}})")
    with serve_app(APPS / "freshdesk" / "app") as url, browser_page() as page:
        page.add_init_script("window.drafted = 0;")
        freshdesk_page(page, url, answer)
        page.click("#draft")
        page.locator("#insert").wait_for(state="visible")
        page.click("#draft")
        page.locator("#draft:not([disabled])").wait_for()
        page.locator("#insert").wait_for(state="visible")
        page.click("#insert")
        page.wait_for_function("calls.some(c => c[0] === 'trigger' && c[1] === 'setValue')")
        page.evaluate("fire('ticket.sendReply')")
        page.wait_for_function("calls.filter(c => c[0] === 'invokeTemplate' && c[1] === 'draftFeedback').length === 2")
        calls = page.evaluate("calls")
        assert feedback_posts(calls) == [{"draft_id": "d1", "outcome": "discarded"}, {"draft_id": "d2", "outcome": "sent"}]
        drafted = json.loads(next(c[2]["body"] for c in calls if c[0] == "invokeTemplate" and c[1] == "draftReply"))
        assert drafted["mail"]["ticket_id"] == "815"
