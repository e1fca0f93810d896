// The side panel: the selected node (or link) in words, with its page, its
// links and what can be done with it. Every value goes in as text.
import { clear, el } from "../dom.js";
import { LICENCE_TYPES, TYPE_LABELS, kindLabel, linkLabel, period } from "./entities.js";
import { recordNames } from "./graph.js";

function recordLinks(cy, config, ids) {
  if (!ids.length) return el("span", { class: "muted", text: "no record cited" });
  return el(
    "span",
    { class: "records" },
    recordNames(cy, ids).flatMap((r, i) => [
      i ? ", " : "",
      config.urls.record ? el("a", { href: config.urls.record.replace("{id}", r.id), text: r.label }) : r.label,
    ]),
  );
}

// One link as a sentence: "S-2026-000042 frequents Grand Hotel (high, 2 Jan – 4 Mar 2026)".
export function linkSentence(cy, config, edge) {
  const source = cy.getElementById(edge.data("source"));
  const target = cy.getElementById(edge.data("target"));
  const when = period(edge.data("first_seen"), edge.data("last_seen"));
  return el(
    "span",
    {},
    el("strong", { text: source.data("label") }),
    ` ${linkLabel(edge.data("type"))} `,
    el("strong", { text: target.data("label") }),
    el("span", { class: "muted", text: ` · ${edge.data("confidence")} confidence${when ? ` · ${when}` : ""}` }),
    el("div", { class: "small" }, "Records: ", recordLinks(cy, config, edge.data("records"))),
  );
}

// Counts sent to roles that see how many, never who (small counts as "<3").
const COUNTED = { linked_subjects: "People linked to this premises", linked_vehicles: "Vehicles linked to this premises" };

export function suppressedNotes(suppressed) {
  const notes = [];
  for (const [key, n] of Object.entries(suppressed || {})) {
    if (!n) continue;
    if (key === "young_person_links") {
      notes.push(
        typeof n === "number" && n === 1
          ? "A young person at risk is linked here; your role is not shown who."
          : `Young people at risk are linked here (${n}); your role is not shown who.`,
      );
    } else if (key in COUNTED) {
      notes.push(`${COUNTED[key]}: ${n}`);
    } else {
      notes.push(`${kindLabel(key)}: ${n} (not shown to your role)`);
    }
  }
  return notes;
}

export function showNode(panel, cy, config, node, actions) {
  clear(panel);
  const d = node.data();
  const edges = node.connectedEdges();
  panel.append(
    el("h2", { id: "selected-label", text: d.label }),
    el("p", { class: "muted", id: "selected-kind", text: [TYPE_LABELS[d.type], kindLabel(d.kind, d.type)].filter(Boolean).join(" · ") }),
    el(
      "p",
      { class: "row" },
      d.url ? el("a", { href: d.url, id: "selected-page", text: "Open its page" }) : null,
      LICENCE_TYPES.includes(d.type)
        ? null
        : el("a", { href: `${config.urls.page}?centre=${encodeURIComponent(d.id)}`, text: "Centre the chart here" }),
      ["subject", "vehicle"].includes(d.type)
        ? el("a", { href: `${config.urls.map}?track=${encodeURIComponent(d.id)}`, id: "selected-on-map", text: "Its places on the map" })
        : null,
    ),
    el(
      "div",
      { class: "row node-actions" },
      actions.expand && !LICENCE_TYPES.includes(d.type)
        ? el("button", {
            type: "button",
            class: "small",
            id: "expand-node",
            text: node.hasClass("expanded") ? "Expanded" : "Expand one hop",
            disabled: node.hasClass("expanded"),
            onclick: () => actions.expand(d.id),
          })
        : null,
      el("button", { type: "button", class: "small secondary", id: "hide-node", text: "Hide", onclick: () => actions.hide(d.id) }),
      actions.pathEnd && !LICENCE_TYPES.includes(d.type)
        ? [
            el("button", { type: "button", class: "small secondary", id: "path-from-here", text: "Path from here", onclick: () => actions.pathEnd("from", d.id) }),
            el("button", { type: "button", class: "small secondary", id: "path-to-here", text: "Path to here", onclick: () => actions.pathEnd("to", d.id) }),
          ]
        : null,
    ),
    ...suppressedNotes(actions.suppressedFor(d.id)).map((t) => el("p", { class: "suppressed", text: t })),
    el("h3", { text: `Links shown (${edges.length})` }),
    edges.length
      ? el("ul", { class: "link-list", id: "selected-links" }, edges.map((e) => el("li", {}, linkSentence(cy, config, e))))
      : el("p", { class: "muted", text: "No links in this period and grade." }),
  );
}

export function showEdge(panel, cy, config, edge) {
  clear(panel);
  panel.append(el("h2", { text: linkLabel(edge.data("type")) }), el("p", {}, linkSentence(cy, config, edge)));
}

export function showHint(panel, { countsOnly = false } = {}) {
  clear(panel);
  panel.append(
    el("h2", { text: countsOnly ? "How many are linked" : "Select a node" }),
    el("p", {
      class: "muted",
      text: countsOnly
        ? "Your role sees how many people and vehicles are linked to this premises, never who."
        : "Click a node to see its details and links. Double-click to expand it by one hop.",
    }),
  );
}
