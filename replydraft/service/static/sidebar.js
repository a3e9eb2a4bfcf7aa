// The agent sidebar: draft a reply, watch it take shape (greyed while unchecked), then read the
// checked draft with its findings marked inline. Plain JS, no build step.
"use strict";

const TEXT = {
  nl: {
    mailLabel: "Mail van de klant (of laat de helpdesk hem sturen)",
    tokenLabel: "Toegangstoken",
    noteLabel: "Notitie voor het concept (optioneel)",
    draft: "Concept maken", again: "Opnieuw", copy: "Kopiëren", insert: "Invoegen",
    questions: "Vragen van de klant", draftHeading: "Concept", unchecked: "Nog niet gecontroleerd",
    promises: "Toezeggingen", ready: "Klaar", needs_review: "Nakijken", error: "Mislukt",
    answered: "beantwoord", unanswered: "nog niet beantwoord", copied: "Gekopieerd", inserted: "Ingevoegd",
    working: "Bezig…", noMail: "Plak eerst de mail van de klant.", noDate: "geen datum",
  },
  en: {
    mailLabel: "The customer's mail (or let the helpdesk send it)",
    tokenLabel: "Access token",
    noteLabel: "Note for the draft (optional)",
    draft: "Draft reply", again: "Regenerate", copy: "Copy", insert: "Insert",
    questions: "Customer's questions", draftHeading: "Draft", unchecked: "Not checked yet",
    promises: "Promises", ready: "Ready", needs_review: "Needs review", error: "Failed",
    answered: "answered", unanswered: "not answered yet", copied: "Copied", inserted: "Inserted",
    working: "Working…", noMail: "Paste the customer's mail first.", noDate: "no date",
  },
};

const TOKEN_KEY = "replydraft-token";
let pageToken = ""; // where a browser that blocks storage in a third-party frame keeps it: this page only

function storedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || pageToken; } catch { return pageToken; }
}

function storeToken(value) {
  pageToken = value;
  try { sessionStorage.setItem(TOKEN_KEY, value); } catch { /* storage blocked in this frame */ }
}

// The token comes in the fragment (#token=...), which the browser never sends, and leaves the address at
// once: kept for this tab only (sessionStorage), never in history, a bookmark or a Referer. A ?token= (the
// old contract) is not read, only removed from the address.
function takeTokenFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  if (!fragment.has("token") && !query.has("token")) return;
  const value = (fragment.get("token") || "").trim();
  if (value) storeToken(value);
  fragment.delete("token");
  query.delete("token");
  const search = query.toString() ? `?${query}` : "";
  const hash = fragment.toString() ? `#${fragment}` : "";
  history.replaceState(history.state, "", location.pathname + search + hash);
}
takeTokenFromAddress();

const params = new URLSearchParams(location.search);
// The helpdesk pages that may embed us (the service's --frame-origin): the only ones we take a mail from
// and post a draft to. None configured: no messages at all, the agent pastes and copies.
const frameOrigins = (document.body.dataset.frameOrigins || "").split(/\s+/).filter(Boolean);
const embedded = window.parent !== window;
const lang = (params.get("lang") || navigator.language || "nl").slice(0, 2) === "en" ? "en" : "nl";
const t = (key) => TEXT[lang][key] || key;
const $ = (id) => document.getElementById(id);

let mailFromHelpdesk = null;
let helpdeskOrigin = null; // the configured origin the mail came from
let finalText = "";

function translate() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
}

// The token lives for this tab only (sessionStorage), from #token= or the field.
function token() {
  const typed = $("token").value.trim();
  if (typed) storeToken(typed);
  return typed || storedToken();
}

function showMessage(text) {
  $("message").hidden = !text;
  $("message").textContent = text || "";
}

function setStatus(status) {
  const badge = $("status");
  badge.hidden = !status;
  badge.className = "badge " + (status || "");
  badge.textContent = status ? t(status) : "";
}

// An unanswered_question finding quotes the question with its whitespace collapsed, cut at 60 characters.
const collapsed = (text) => text.split(/\s+/).filter(Boolean).join(" ");

function showQuestions(questions, unansweredMessages) {
  const list = $("questions");
  list.replaceChildren();
  for (const q of questions) {
    const li = document.createElement("li");
    const open = unansweredMessages && unansweredMessages.some((m) => m.includes(collapsed(q.quote).slice(0, 40)));
    li.className = unansweredMessages ? (open ? "unanswered" : "answered") : "";
    li.textContent = unansweredMessages ? `${q.quote} (${open ? t("unanswered") : t("answered")})` : q.quote;
    list.append(li);
  }
  $("analysis").hidden = questions.length === 0;
}

function showPreview(text) {
  $("draft-section").hidden = false;
  $("unchecked-label").hidden = false;
  $("draft").className = "draft unchecked";
  $("draft").textContent = text;
  $("copy-button").disabled = true;
  $("insert-button").disabled = true;
}

// The draft with each finding that has a place marked, explained on hover; overlapping ones are listed only.
function markedDraft(text, findings) {
  const placed = findings.filter((f) => f.start != null && f.end != null && f.end > f.start).sort((a, b) => a.start - b.start);
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const f of placed) {
    if (f.start < at) continue;
    fragment.append(text.slice(at, f.start));
    const mark = document.createElement("mark");
    mark.className = `finding ${f.severity}`;
    mark.dataset.code = f.code;
    mark.title = f.message + (f.suggestion ? `\n→ ${f.suggestion}` : "");
    mark.textContent = text.slice(f.start, f.end);
    fragment.append(mark);
    at = f.end;
  }
  fragment.append(text.slice(at));
  return fragment;
}

// The draft on screen, and whether the agent took it (inserted or copied). A draft replaced by a new one
// before it was taken was thrown away: the service hears so, for the feedback report.
let shownDraft = null;

function reportDiscarded(previous) {
  if (!previous || previous.taken) return;
  const headers = { "Content-Type": "application/json" };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  fetch("/v1/feedback", {
    method: "POST", headers, keepalive: true,
    body: JSON.stringify({ draft_id: previous.id, outcome: "discarded" }),
  }).catch(() => {}); // feedback is a lesson, not a task: the agent is never bothered when it fails
}

function showResult(result) {
  if (result.draft_id && result.status !== "error") {
    reportDiscarded(shownDraft);
    shownDraft = { id: result.draft_id, taken: false };
  }
  setStatus(result.status);
  $("again-button").hidden = false;
  if (result.status === "error") {
    showMessage(result.error);
    $("draft-section").hidden = true;
    return;
  }
  const findings = (result.checks && result.checks.findings) || [];
  finalText = result.text;
  $("draft-section").hidden = false;
  $("unchecked-label").hidden = true;
  $("draft").className = "draft";
  $("draft").replaceChildren(markedDraft(result.text, findings));
  $("copy-button").disabled = false;
  $("insert-button").disabled = false;

  const list = $("findings");
  list.replaceChildren();
  for (const f of findings.filter((f) => f.severity !== "info")) {
    const li = document.createElement("li");
    li.className = f.severity;
    li.textContent = f.message;
    list.append(li);
  }
  const unanswered = findings.filter((f) => f.code === "unanswered_question").map((f) => f.message);
  if (result.analysis) showQuestions(result.analysis.questions || [], unanswered);

  const promises = result.promises || [];
  $("promises").replaceChildren(...promises.map((p) => {
    const li = document.createElement("li");
    li.textContent = `${p.text} (${p.when || t("noDate")})`;
    return li;
  }));
  $("promises-section").hidden = promises.length === 0;
}

function handleEvent(event, data) {
  if (event === "analysis") showQuestions(data.questions || [], null);
  else if (event === "preview") showPreview(data.text);
  else if (event === "result") showResult(data);
  else if (event === "error") { setStatus("error"); showMessage(data.message); }
}

// EventSource only does GET, so the POST stream is read with fetch and a stream reader.
async function draft() {
  const mail = mailFromHelpdesk || $("mail").value.trim();
  if (!mail) { showMessage(t("noMail")); return; }
  showMessage("");
  setStatus(null);
  $("draft-button").disabled = true;
  $("draft-button").textContent = t("working");
  try {
    const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    const body = { mail, note: $("note").value || null };
    if (params.get("policy")) body.policy = params.get("policy");
    const response = await fetch("/v1/drafts?stream=true", { method: "POST", headers, body: JSON.stringify(body) });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({ message: response.statusText }));
      if (response.status === 401) $("token-section").hidden = false;
      setStatus("error");
      showMessage(problem.message);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = (block.match(/^event: (.*)$/m) || [])[1];
        const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
        if (event && data) handleEvent(event, JSON.parse(data));
      }
    }
  } catch (err) {
    setStatus("error");
    showMessage(String(err));
  } finally {
    $("draft-button").disabled = false;
    $("draft-button").textContent = t("draft");
  }
}

async function copy() {
  try {
    await navigator.clipboard.writeText(finalText);
  } catch {
    const area = Object.assign(document.createElement("textarea"), { value: finalText });
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  if (shownDraft) shownDraft.taken = true;
  $("copy-button").textContent = t("copied");
  setTimeout(() => { $("copy-button").textContent = t("copy"); }, 1500);
}

// Where a draft may go: the configured origin the mail came from, else the embedding page's origin when
// it is a configured one (Chromium and Safari tell it), else the only configured origin. Never "*".
function insertTarget() {
  if (!embedded) return null;
  if (helpdeskOrigin) return helpdeskOrigin;
  const ancestor = location.ancestorOrigins && location.ancestorOrigins[0];
  if (ancestor && frameOrigins.includes(ancestor)) return ancestor;
  return frameOrigins.length === 1 ? frameOrigins[0] : null;
}

// A window at another origin gets nothing: postMessage drops it when the parent is not at `target`.
function insert() {
  const target = insertTarget();
  if (!target) return;
  window.parent.postMessage({ type: "replydraft:insert", text: finalText }, target);
  if (shownDraft) shownDraft.taken = true;
  $("insert-button").textContent = t("inserted");
  setTimeout(() => { $("insert-button").textContent = t("insert"); }, 1500);
}

// Only the page that embeds us, at a configured origin, may hand us a mail: not a sibling frame (an ad,
// another app), not a page that opened us, not an origin the service was not told about.
window.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "replydraft:mail") return;
  if (!embedded || event.source !== window.parent || !frameOrigins.includes(event.origin)) {
    console.warn(`replydraft: ignored replydraft:mail from ${event.origin || "an unknown origin"}: `
      + "only the embedding page at a configured frame origin may send one");
    return;
  }
  if (!event.data.mail) return;
  helpdeskOrigin = event.origin;
  mailFromHelpdesk = event.data.mail;
  $("mail-section").hidden = true;
});

translate();
$("insert-button").hidden = !embedded || frameOrigins.length === 0; // paste only: Kopiëren still works
$("draft-button").addEventListener("click", draft);
$("again-button").addEventListener("click", draft);
$("copy-button").addEventListener("click", copy);
$("insert-button").addEventListener("click", insert);
