// The "what is here" side panel shared by the radius and polygon tools.
import { postForm, postJSON } from "../api.js";
import { clear, el, metres, showError } from "../dom.js";

// Section 62 access log: a search that counts records needs the session's
// reason; an export needs a reason of its own (audit.justification).
const REASON_MIN = 5;

export function askSessionReason(panel, config, { onDone }) {
  clear(panel);
  panel.hidden = false;
  const input = el("textarea", { id: "session-justification", rows: "3", maxlength: "500" });
  const form = el(
    "form",
    { id: "session-justification-form", class: "stack" },
    el("h2", { text: "Why are you consulting intelligence?" }),
    el("p", {
      class: "muted",
      text: "Searches that count records are logged with your name and this reason (DPA 2018 s.62). Asked once for this working session.",
    }),
    el("label", { for: "session-justification", text: "Reason for this session" }),
    input,
    el("button", { type: "submit", text: "Continue" }),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelector(".error")?.remove();
    try {
      await postJSON(config.urls.justification, { justification: input.value });
      onDone();
    } catch (err) {
      showError(form, err.message);
    }
  });
  panel.append(form);
  input.focus();
}

function countList(title, counts, labels = {}) {
  const entries = Object.entries(counts);
  return el(
    "div",
    {},
    el("h4", { text: title }),
    entries.length
      ? el("ul", { class: "counts" }, entries.map(([k, n]) => el("li", { text: `${labels[k] || k}: ${n}` })))
      : el("p", { class: "muted", text: "None." }),
  );
}

export function showResults(panel, { title, data, kinds, onExport, onClose, listThese = null }) {
  clear(panel);
  panel.hidden = false;
  const kindLabels = Object.fromEntries(kinds.map((k) => [k.value, k.label]));
  const locs = data.locations.features;
  panel.append(
    el(
      "header",
      { class: "row spread" },
      el("h2", { text: title }),
      el("button", { type: "button", class: "small secondary", text: "Close", onclick: onClose }),
    ),
    el("p", { class: "muted", text: `${data.query.since} to ${data.query.until}` }),
    listThese,
    el("h3", { text: `Locations (${locs.length})` }),
    locs.length
      ? el(
          "ol",
          { class: "result-list", id: "result-locations" },
          locs.map((f) =>
            el(
              "li",
              {},
              el("a", { href: f.properties.url, text: f.properties.name }),
              el("span", {
                class: "muted",
                text: ` ${f.properties.category_label}${
                  f.properties.distance_m !== null ? ` · ${metres(f.properties.distance_m)}` : ""
                }${f.properties.concern_level !== "none" ? ` · concern ${f.properties.concern_label}` : ""}`,
              }),
            ),
          ),
        )
      : el("p", { class: "muted", text: "No locations." }),
    el("h3", { text: `Intelligence: ${data.intelligence.total}` }),
    countList("By kind", data.intelligence.by_kind, kindLabels),
    countList("By grade", data.intelligence.by_grade),
    // Only roles cleared for record content are sent the records.
    data.records ? recordList(data.records) : null,
    el("h3", { text: `Disruption actions (${data.disruption.length})` }),
    data.disruption.length
      ? el(
          "ul",
          { class: "result-list", id: "result-actions" },
          data.disruption.map((a) =>
            el(
              "li",
              {},
              `${a.occurred_at.slice(0, 10)} ${a.action_type} at `,
              a.location_url ? el("a", { href: a.location_url, text: a.location }) : "a point",
              `: ${a.outcome}`,
            ),
          ),
        )
      : el("p", { class: "muted", text: "None in the period." }),
    exportForm(onExport),
  );
}

function recordList(records) {
  if (!records.length) return el("p", { class: "muted", text: "No records in the period." });
  const list = el(
    "ol",
    { class: "result-list", id: "result-records" },
    records.map((r) =>
      el(
        "li",
        {},
        el("strong", { text: r.reference }),
        el("span", { class: "muted", text: ` ${r.kind_label} · ${r.occurred_from.slice(0, 10)} · ${r.grade}` }),
        r.handling_conditions ? el("div", { class: "conditions", text: `Handling conditions: ${r.handling_conditions}` }) : null,
        r.summary ? el("div", { text: r.summary }) : null,
        ...r.locations.map((l) => el("div", { class: "muted" }, `${l.link}: `, el("a", { href: l.url, text: l.name }))),
      ),
    ),
  );
  return el("div", {}, el("h4", { text: `Records (${records.length})` }), list);
}

export function exportForm(onExport) {
  const input = el("input", { type: "text", id: "export-justification", maxlength: "500" });
  const form = el(
    "form",
    { class: "stack", id: "export-form" },
    el("label", { for: "export-justification", text: "Reason for this export" }),
    input,
    el("button", { type: "submit", id: "export-csv", text: "Export CSV" }),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelector(".error")?.remove();
    const reason = input.value.trim();
    if (reason.length < REASON_MIN) {
      showError(form, `Give the reason for this export (at least ${REASON_MIN} characters).`);
      return;
    }
    try {
      await onExport(reason);
    } catch (err) {
      if (err.body && err.body.reauthenticate) {
        // Not confirmed in the last minutes: confirm here, then export, so
        // the search and the reason stay as they are.
        form.after(confirmForm(err.body, () => onExport(reason)));
      } else {
        showError(form, err.message);
      }
    }
  });
  return form;
}

function confirmForm(refusal, retry) {
  document.getElementById("reauth-form")?.remove();
  const code = refusal.asks === "code";
  const name = code ? "token" : "password";
  const input = el("input", {
    id: "reauth-input",
    name,
    type: code ? "text" : "password",
    autocomplete: code ? "one-time-code" : "current-password",
    ...(code ? { inputmode: "numeric" } : {}),
  });
  const form = el(
    "form",
    { class: "stack", id: "reauth-form" },
    el("p", { class: "notice", text: refusal.detail }),
    el("label", { for: "reauth-input", text: code ? "Code from your authenticator app" : "Your password" }),
    input,
    el("button", { type: "submit", id: "reauth-confirm", text: "Confirm and export" }),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelector(".error")?.remove();
    try {
      await postForm(refusal.reauthenticate, { [name]: input.value });
    } catch (err) {
      showError(form, err.message);
      return;
    }
    form.remove();
    await retry();
  });
  setTimeout(() => input.focus(), 0);
  return form;
}

export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
