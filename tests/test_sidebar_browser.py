"""The agent sidebar in a real headless Chromium against the running service with a FakeBackend."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")

from replydraft import FakeBackend  # noqa: E402
from replydraft.service import create_app  # noqa: E402

from .browser import ARTIFACTS, browser_page, live_service  # noqa: E402
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


def test_in_a_helpdesk_iframe_the_mail_comes_from_the_parent_and_insert_posts_the_draft_back():
    with live_service(app(latency=0.05)) as url, browser_page(width=800) as page:
        page.goto(f"{url}/healthz")  # a same-origin parent page, as a helpdesk would host the iframe
        page.set_content(f"""
            <iframe id="side" src="{url}/?lang=en" style="width:400px;height:800px"></iframe>
            <script>
              window.received = [];
              window.addEventListener("message", e => window.received.push(e.data));
            </script>""")
        page.wait_for_function("document.getElementById('side').contentDocument?.readyState === 'complete'")
        page.evaluate(f"document.getElementById('side').contentWindow.postMessage({{type: 'replydraft:mail', mail: {json.dumps(MAIL)}}}, '*')")
        side = page.frame_locator("#side")
        side.locator("#mail-section").wait_for(state="hidden")
        assert side.locator("#draft-button").inner_text() == "Draft reply"
        side.locator("#draft-button").click()
        side.locator("#status.needs_review").wait_for(timeout=20_000)
        assert side.locator("#status").inner_text() == "Needs review"
        side.locator("#insert-button").click()
        page.wait_for_function("window.received.length > 0")
        message = page.evaluate("window.received[0]")
        assert message["type"] == "replydraft:insert"
        assert message["text"].startswith("Beste Kees Jansen,") and "NL91" not in message["text"]
        assert message["text"].strip() == side.locator("#draft").inner_text().strip()


def test_a_wrong_token_shows_the_services_message_and_the_token_field():
    secured = create_app(backend=FakeBackend(default=fake_reply()), tokens=["right"])
    with live_service(secured) as url, browser_page() as page:
        page.goto(f"{url}/?lang=en&token=wrong")
        page.fill("#mail", MAIL["body"])
        page.click("#draft-button")
        page.locator("#status.error").wait_for(timeout=10_000)
        assert "bearer token" in page.locator("#message").inner_text()
        assert page.locator("#token-section").is_visible()
