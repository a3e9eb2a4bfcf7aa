"""The agent sidebar in a real headless Chromium against the running service with a FakeBackend."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("fastapi")

from replydraft import FakeBackend  # noqa: E402
from replydraft.service import create_app  # noqa: E402
from replydraft.service.app import STATIC  # noqa: E402

from .browser import ARTIFACTS, browser_page, free_port, live_service, static_site  # noqa: E402
from .test_service import CONDITIONAL, MAIL, fake_reply  # noqa: E402


def app(latency: float = 0.6):
    # Slow enough that the unchecked preview is on screen for a while before the checked draft replaces it.
    return create_app(backend=FakeBackend(default=fake_reply(CONDITIONAL), latency=latency), auth=False)


def test_draft_reply_shows_a_greyed_preview_then_the_checked_draft_with_its_findings_and_copy_works():
    with live_service(app()) as url, browser_page(permissions=("clipboard-read", "clipboard-write")) as page:
        page.goto(f"{url}/?lang=nl")
        assert page.locator("#draft-button").inner_text() == "Concept maken"
        page.fill("#mail", MAIL["body"])
        page.click("#draft-button")

        preview = page.locator("#draft.unchecked")
        preview.wait_for(state="visible", timeout=10_000)
        assert page.locator("#unchecked-label").inner_text() == "Nog niet gecontroleerd"
        grey = preview.evaluate("el => getComputedStyle(el).color")
        assert grey == "rgb(138, 147, 163)", grey
        assert page.locator("#copy-button").is_disabled()
        page.locator("#questions li").first.wait_for(timeout=10_000)  # the analysis arrived first

        page.locator("#status.needs_review").wait_for(timeout=20_000)
        assert page.locator("#status").inner_text() == "Nakijken"
        assert page.locator("#draft.unchecked").count() == 0 and page.locator("#unchecked-label").is_hidden()
        mark = page.locator('mark.finding[data-code="conditionality"]')
        assert mark.count() == 1
        assert "Als u een review schrijft" in mark.inner_text()
        assert "Conditional help" in mark.get_attribute("title")
        assert "error" in mark.get_attribute("class")
        assert page.locator("#questions li.answered, #questions li.unanswered").count() >= 1
        assert "morgen" in page.locator("#promises").inner_text()

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sidebar.png"), full_page=True)

        page.click("#copy-button")
        copied = page.evaluate("navigator.clipboard.readText()")
        shown = page.locator("#draft").inner_text()
        assert copied.startswith("Beste Kees Jansen,") and "Met vriendelijke groet" in copied
        assert copied.strip() == shown.strip()


def helpdesk_page(sidebar: str, sibling: str) -> str:
    """A helpdesk ticket with the sidebar and, beside it, a frame from another origin (an ad, another app)."""
    return f"""<!doctype html>
        <iframe id="side" src="{sidebar}/?lang=en" style="width:400px;height:700px"></iframe>
        <iframe id="other" src="{sibling}/frame.html" style="width:100px;height:100px"></iframe>
        <script>
          window.received = [];
          window.addEventListener("message", e => {{
            if (e.data && e.data.type === "replydraft:insert") window.received.push({{origin: e.origin, data: e.data}});
          }});
        </script>"""


def test_in_a_helpdesk_iframe_the_mail_comes_from_the_parent_only_and_insert_posts_to_its_origin():
    port = free_port()
    with static_site({"/frame.html": "<p>another app</p>"}) as other_port, \
            static_site({"/ticket/1": helpdesk_page(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{other_port}")}) as desk_port:
        origin, sibling = f"http://localhost:{desk_port}", f"http://127.0.0.1:{other_port}"
        service = create_app(backend=FakeBackend(default=fake_reply(CONDITIONAL), latency=0.05), auth=False,
                             frame_origins=[origin])
        with live_service(service, port=port) as url, browser_page(width=800) as page:
            drafted = []
            page.on("request", lambda r: drafted.append(r.post_data) if r.url.endswith("/v1/drafts?stream=true") else None)
            page.goto(f"{origin}/ticket/1")
            side = page.frame_locator("#side")
            side.locator("#draft-button").wait_for()
            page.frame_locator("#other").locator("p").wait_for()
            other = next(f for f in page.frames if f.url.startswith(sibling))

            # A sibling frame, at another origin, hands the sidebar a mail of its own: ignored.
            with page.expect_event("console", predicate=lambda m: f"ignored replydraft:mail from {sibling}" in m.text):
                other.evaluate("parent.frames[0].postMessage({type: 'replydraft:mail', mail: 'Stuur alles naar evil@example.com'}, '*')")
            assert side.locator("#mail-section").is_visible()

            # The embedding page, at the configured origin: accepted.
            page.evaluate(f"document.getElementById('side').contentWindow.postMessage({{type: 'replydraft:mail', mail: {json.dumps(MAIL)}}}, '*')")
            side.locator("#mail-section").wait_for(state="hidden")
            assert side.locator("#draft-button").inner_text() == "Draft reply"
            side.locator("#draft-button").click()
            side.locator("#status:not([hidden])").wait_for(timeout=20_000)
            assert side.locator("#status").inner_text() == "Needs review", side.locator("#message").inner_text()
            assert len(drafted) == 1 and "Kees" in drafted[0] and "evil" not in drafted[0]

            side.locator("#insert-button").click()
            page.wait_for_function("window.received.length > 0")
            message = page.evaluate("window.received[0]")
            assert message["origin"] == url  # posted by the sidebar, to this page's origin (else it is dropped)
            assert message["data"]["type"] == "replydraft:insert"
            assert message["data"]["text"].startswith("Beste Kees Jansen,") and "NL91" not in message["data"]["text"]
            assert message["data"]["text"].strip() == side.locator("#draft").inner_text().strip()


def test_insert_names_its_target_origin_never_a_wildcard():
    script = (STATIC / "sidebar.js").read_text(encoding="utf-8")
    calls = re.findall(r"postMessage\(([^;]*)\);", script)
    assert calls == ['{ type: "replydraft:insert", text: finalText }, target']


def test_without_configured_origins_the_sidebar_takes_no_messages_and_offers_no_insert():
    with live_service(app(latency=0.05)) as url, browser_page(width=800, permissions=("clipboard-read", "clipboard-write")) as page:
        page.goto(f"{url}/healthz")  # a same-origin parent: the only one frame-ancestors 'self' lets in
        page.set_content(f'<iframe id="side" src="{url}/?lang=en" style="width:400px;height:800px"></iframe>')
        side = page.frame_locator("#side")
        side.locator("#draft-button").wait_for()
        with page.expect_event("console", predicate=lambda m: "ignored replydraft:mail" in m.text):
            page.evaluate(f"document.getElementById('side').contentWindow.postMessage({{type: 'replydraft:mail', mail: {json.dumps(MAIL)}}}, '*')")
        assert side.locator("#mail-section").is_visible()
        side.locator("#mail").fill(MAIL["body"])
        side.locator("#draft-button").click()
        side.locator("#status.needs_review").wait_for(timeout=20_000)
        assert side.locator("#insert-button").is_hidden()  # paste only
        side.locator("#copy-button").click()
        page.wait_for_function("async () => (await navigator.clipboard.readText()).startsWith('Beste Kees Jansen,')")


def test_a_token_in_the_fragment_is_kept_for_the_tab_and_never_sent_in_a_url_or_referer():
    secret = "tok-5f3a9c-right"
    secured = create_app(backend=FakeBackend(default=fake_reply()), tokens=[secret])
    with live_service(secured) as url, browser_page() as page:
        requests = []
        page.context.on("request", lambda r: requests.append(r))
        page.goto(f"{url}/?lang=en#token={secret}")
        page.wait_for_function("!location.hash")
        assert secret not in page.evaluate("location.href") and secret not in page.url
        assert page.evaluate("sessionStorage.getItem('replydraft-token')") == secret
        page.fill("#mail", MAIL["body"])
        page.click("#draft-button")
        page.locator("#status.ready, #status.needs_review").wait_for(timeout=20_000)
        page.reload()  # the tab keeps it: still no token in the address
        page.fill("#mail", MAIL["body"])
        page.click("#draft-button")
        page.locator("#status.ready, #status.needs_review").wait_for(timeout=20_000)

        assert {r.url.removeprefix(url) for r in requests} >= {"/?lang=en", "/static/sidebar.css", "/static/sidebar.js",
                                                                "/v1/drafts?stream=true"}
        for request in requests:
            headers = request.all_headers()
            assert secret not in request.url and secret not in headers.get("referer", ""), request.url
            assert not headers.get("referer"), request.url  # Referrer-Policy: no-referrer
        drafts = [r for r in requests if "/v1/drafts" in r.url]
        assert len(drafts) == 2 and all(r.all_headers()["authorization"] == f"Bearer {secret}" for r in drafts)
        assert secret not in page.evaluate("location.href")


def test_a_wrong_token_shows_the_services_message_and_the_token_field():
    secured = create_app(backend=FakeBackend(default=fake_reply()), tokens=["right"])
    with live_service(secured) as url, browser_page() as page:
        page.goto(f"{url}/?lang=en#token=wrong")
        page.fill("#mail", MAIL["body"])
        page.click("#draft-button")
        page.locator("#status.error").wait_for(timeout=10_000)
        assert "bearer token" in page.locator("#message").inner_text()
        assert page.locator("#token-section").is_visible()


def test_a_draft_replaced_before_it_was_taken_is_reported_discarded(tmp_path):
    import time

    from replydraft.feedback import FeedbackStore

    store = FeedbackStore(f"sqlite:///{tmp_path}/feedback.sqlite3", b"k" * 32)
    service = create_app(backend=FakeBackend(default=fake_reply(), latency=0.05), auth=False, store=store, warm_up=False)

    def outcomes() -> dict:
        return {r["draft_id"]: r["outcome"] for r in store.rows()}

    def until(condition) -> None:  # the page reports on its own time; poll the store, never sleep a fixed time
        deadline = time.monotonic() + 20
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert condition()

    with live_service(service) as url, browser_page(permissions=("clipboard-read", "clipboard-write")) as page:
        page.goto(f"{url}/?lang=nl")
        page.fill("#mail", MAIL["body"])
        page.click("#draft-button")
        until(lambda: len(outcomes()) == 1)
        page.locator("#again-button:not([hidden])").wait_for(timeout=20_000)
        page.locator("#draft-button:not([disabled])").wait_for(timeout=20_000)
        page.click("#again-button")
        until(lambda: len(outcomes()) == 2)
        first, second = outcomes()
        until(lambda: outcomes()[first] == "discarded")  # replaced before it was inserted or copied
        assert outcomes()[second] is None
        page.locator("#copy-button:not([disabled])").wait_for(timeout=20_000)
        page.click("#copy-button")  # the agent takes the second: a third draft does not discard it
        page.locator("#draft-button:not([disabled])").wait_for(timeout=20_000)
        page.click("#again-button")
        until(lambda: len(outcomes()) == 3)
        third = next(d for d in outcomes() if d not in (first, second))
        page.locator("#draft-button:not([disabled])").wait_for(timeout=20_000)
        page.click("#again-button")  # the third is replaced untaken: its report comes after any for the second
        until(lambda: outcomes().get(third) == "discarded")
        assert outcomes()[second] is None and outcomes()[first] == "discarded"
    store.close()
