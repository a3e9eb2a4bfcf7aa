// replydraft in the Zendesk ticket sidebar: draft a reply to the customer's latest comment, show its
// status and findings, and insert it into the editor only when the agent clicks "Invoegen".
// The token is a secure setting: Zendesk's proxy fills in {{setting.token}} server-side, so the
// request must go through the proxy (cors: false, secure: true) and the service needs a public HTTPS host.
"use strict";

const client = ZAFClient.init();
const TEXT = {
  nl: { draft: "Concept maken", working: "Bezig…", insert: "Invoegen", ready: "Klaar", needs_review: "Nakijken", error: "Mislukt" },
  en: { draft: "Draft reply", working: "Working…", insert: "Insert", ready: "Ready", needs_review: "Needs review", error: "Failed" },
};
let t = TEXT.nl;
let draftText = "";
// The draft on screen and whether the agent inserted it: an untaken draft replaced by a new one is
// reported "discarded"; an inserted one is reported "sent", with the agent's final reply, once the
// ticket is submitted (ZAF's ticket.submit.done, then the newest agent comment in ticket.comments).
let shown = null;
const $ = (id) => document.getElementById(id);

function show(status, message, findings) {
  $("status").hidden = false;
  $("status").className = status;
  $("status").textContent = message ? `${t[status] || status}: ${message}` : t[status] || status;
  $("findings").replaceChildren(...(findings || []).map((f) => Object.assign(document.createElement("li"), { textContent: f.message })));
}

// A comment's HTML as the plain text the service reads.
const plain = (html) => html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/p>/gi, "\n\n").replace(/<[^>]+>/g, "").trim();

// The customer's newest public comment is the mail to answer; earlier ones are the thread.
function toMail(subject, requester, comments) {
  const fromCustomer = comments.filter((c) => c.author && c.author.role === "end-user" && c.value);
  const latest = fromCustomer[fromCustomer.length - 1] || comments[comments.length - 1];
  return {
    subject: subject || "",
    body: plain(latest.value),
    from: { name: (requester && requester.name) || "", email: (requester && requester.email) || "" },
    thread: comments.filter((c) => c !== latest && c.value).reverse().map((c) => ({ body: plain(c.value), from: (c.author && c.author.name) || "" })),
  };
}

// A POST to the service through Zendesk's proxy, which fills in the secure token setting.
function postToService(settings, path, body, options = {}) {
  return client.request({
    url: `${settings.service_url.replace(/\/$/, "")}${path}`,
    type: "POST",
    contentType: "application/json",
    headers: { Authorization: "Bearer {{setting.token}}" },
    data: JSON.stringify(body),
    secure: true,
    cors: false,
    ...options,
  });
}

async function draft() {
  $("draft").disabled = true;
  $("draft").textContent = t.working;
  $("insert").hidden = true;
  $("text").hidden = true;
  try {
    const data = await client.get(["ticket.id", "ticket.subject", "ticket.requester", "ticket.comments"]);
    const settings = (await client.metadata()).settings;
    const body = { mail: toMail(data["ticket.subject"], data["ticket.requester"], data["ticket.comments"] || []) };
    if (data["ticket.id"]) body.mail.ticket_id = String(data["ticket.id"]);
    if (settings.policy) body.policy = settings.policy;
    const result = await postToService(settings, "/v1/drafts", body, { timeout: 120000 });
    if (result.status === "error") {
      show("error", result.error);
      return;
    }
    if (shown && !shown.inserted) feedback(settings, { draft_id: shown.id, outcome: "discarded" });
    shown = result.draft_id ? { id: result.draft_id, inserted: false, settings } : null;
    draftText = result.text;
    show(result.status, "", ((result.checks && result.checks.findings) || []).filter((f) => f.severity !== "info"));
    $("text").textContent = draftText;
    $("text").hidden = false;
    $("insert").hidden = false;
  } catch (failure) {
    const payload = failure && failure.responseJSON;
    show("error", (payload && payload.message) || (failure && failure.statusText) || String(failure));
  } finally {
    $("draft").disabled = false;
    $("draft").textContent = t.draft;
    client.invoke("resize", { width: "100%", height: `${document.body.scrollHeight + 20}px` });
  }
}

// Feedback is a lesson, not a task: a failure is never shown to the agent.
function feedback(settings, body) {
  return postToService(settings, "/v1/feedback", body).catch(() => null);
}

async function reportSent() {
  if (!shown || !shown.inserted || shown.reported) return;
  shown.reported = true;
  const comments = (await client.get("ticket.comments"))["ticket.comments"] || [];
  const byAgent = comments.filter((c) => c.author && c.author.role !== "end-user" && c.value);
  const last = byAgent[byAgent.length - 1];
  const body = { draft_id: shown.id, outcome: "sent" };
  if (last) body.sent_text = plain(last.value);
  await feedback(shown.settings, body);
}

client.on("ticket.submit.done", reportSent);
client.get("currentUser.locale").then((data) => {
  t = String(data["currentUser.locale"] || "nl").startsWith("en") ? TEXT.en : TEXT.nl;
  $("draft").textContent = t.draft;
  $("insert").textContent = t.insert;
});
$("draft").addEventListener("click", draft);
$("insert").addEventListener("click", () => {
  client.invoke("ticket.editor.insert", draftText);
  if (shown) shown.inserted = true;
});
