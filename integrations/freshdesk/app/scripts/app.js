// replydraft in the Freshdesk ticket sidebar (FDK 3.x): draft a reply through the "draftReply" request
// template (the token is a secure iparam the browser never sees), show status and findings, and put
// the draft in the reply editor only when the agent clicks "Invoegen".
"use strict";

const TEXT = {
  nl: { draft: "Concept maken", working: "Bezig…", insert: "Invoegen", ready: "Klaar", needs_review: "Nakijken", error: "Mislukt" },
  en: { draft: "Draft reply", working: "Working…", insert: "Insert", ready: "Ready", needs_review: "Needs review", error: "Failed" },
};
let t = TEXT.nl;
let draftText = "";
// The draft on screen and whether the agent inserted it: an untaken draft replaced by a new one is
// reported "discarded"; an inserted one "sent" when the agent clicks Send (the ticket.sendReply event).
// The FDK documentation we could check gives the app no way to read the reply's final text, so "sent"
// goes without sent_text: the feedback report counts it as "sent, text unknown".
let shown = null;

function feedback(client, body) {  // a lesson, not a task: a failure is never shown to the agent
  return client.request.invokeTemplate("draftFeedback", { body: JSON.stringify(body) }).catch(() => null);
}
const $ = (id) => document.getElementById(id);

function show(status, message, findings) {
  $("status").hidden = false;
  $("status").className = status;
  $("status").textContent = message ? `${t[status] || status}: ${message}` : t[status] || status;
  $("findings").replaceChildren(...(findings || []).map((f) => Object.assign(document.createElement("li"), { textContent: f.message })));
}

function toMail(ticket, requester) {
  return {
    ticket_id: ticket.id ? String(ticket.id) : undefined,
    subject: ticket.subject || "",
    body: ticket.description_text || "",
    from: { name: (requester && requester.name) || "", email: (requester && requester.email) || "" },
  };
}

async function draft(client) {
  $("draft").disabled = true;
  $("draft").textContent = t.working;
  $("insert").hidden = true;
  $("text").hidden = true;
  try {
    const { ticket } = await client.data.get("ticket");
    const { requester } = await client.data.get("requester").catch(() => ({ requester: null }));
    const reply = await client.request.invokeTemplate("draftReply", {
      body: JSON.stringify({ mail: toMail(ticket, requester) }),
    });
    const result = JSON.parse(reply.response);
    if (result.status === "error") {
      show("error", result.error);
      return;
    }
    if (shown && !shown.inserted) feedback(client, { draft_id: shown.id, outcome: "discarded" });
    shown = result.draft_id ? { id: result.draft_id, inserted: false } : null;
    draftText = result.text;
    show(result.status, "", ((result.checks && result.checks.findings) || []).filter((f) => f.severity !== "info"));
    $("text").textContent = draftText;
    $("text").hidden = false;
    $("insert").hidden = false;
  } catch (failure) {
    let message = failure && (failure.message || failure.response);
    try { message = JSON.parse(failure.response).message || message; } catch { /* not JSON */ }
    show("error", message || String(failure));
  } finally {
    $("draft").disabled = false;
    $("draft").textContent = t.draft;
  }
}

async function insert(client) {
  await client.interface.trigger("click", { id: "reply", text: "" }).catch(() => null);  // open the reply editor first
  await client.interface.trigger("setValue", { id: "editor", text: draftText });
  if (shown) shown.inserted = true;
}

function reportSent(client) {
  if (!shown || !shown.inserted || shown.reported) return;
  shown.reported = true;
  feedback(client, { draft_id: shown.id, outcome: "sent" });
}

app.initialized().then((client) => {
  client.data.get("loggedInUser").then(({ loggedInUser }) => {
    const language = (loggedInUser && loggedInUser.contact && loggedInUser.contact.language) || "nl";
    t = language.startsWith("en") ? TEXT.en : TEXT.nl;
    $("draft").textContent = t.draft;
    $("insert").textContent = t.insert;
  }).catch(() => null);
  $("draft").addEventListener("click", () => draft(client));
  $("insert").addEventListener("click", () => insert(client));
  client.events.on("ticket.sendReply", () => reportSent(client));
});
