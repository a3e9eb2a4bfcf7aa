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
    "status": "needs_review", "text": DRAFT, "error": None,
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
    assert declared == set(shipped("freshdesk-requests")) == {"draftReply"}
    template = shipped("freshdesk-requests")["draftReply"]["schema"]
    assert template["path"] == "/v1/drafts" and template["method"] == "POST"
    assert template["headers"]["Authorization"] == "Bearer <%= iparam.api_token %>"
    assert "draftReply" in (APPS / "freshdesk" / "app" / "scripts" / "app.js").read_text()


# --- the apps' iframe code in a browser, against stubbed helpdesk clients ---------------------------

ZAF_STUB = """
window.calls = [];
window.ZAFClient = { init() { return {
  get(keys) {
    calls.push(["get", keys]);
    const all = {
      "ticket.subject": "Waar blijft mijn pakket?",
      "ticket.requester": {name: "Sanne Bakker", email: "sanne@example.nl"},
      "ticket.comments": [
        {value: "<p>Mijn pakket is nog niet binnen.</p>", author: {role: "end-user", name: "Sanne Bakker"}},
        {value: "<p>We kijken het na.</p>", author: {role: "agent", name: "Piet"}},
        {value: "<p>Het is nu een week later.<br>Wanneer komt het?</p>", author: {role: "end-user", name: "Sanne Bakker"}}
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
window.app = { initialized() { return Promise.resolve({
  data: { get(what) {
    calls.push(["data.get", what]);
    const all = {
      ticket: {ticket: {subject: "Waar blijft mijn pakket?", description_text: "Mijn pakket is nog niet binnen. Wanneer komt het?"}},
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
