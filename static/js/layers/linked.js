// The location popup's "linked people and vehicles": who and what is linked
// for roles cleared to see subjects, a count (small counts suppressed by the
// server) for the others. Filled in after the popup opens.
import { getJSON } from "../api.js";
import { kindLabel } from "../chart/entities.js";
import { clear, el } from "../dom.js";
import { suppressedNotes } from "../chart/panel.js";

const TRACKED = ["subject", "vehicle"];

// Linked to the place: directly, or named in a record made about the place
// (two hops out, through a record; not a vehicle someone linked here drives).
export function linkedHere(graph, centre) {
  const types = new Map(graph.nodes.map((n) => [n.id, n.type]));
  const near = new Map();
  for (const e of graph.edges) {
    if (e.source === centre) near.set(e.target, true);
    if (e.target === centre) near.set(e.source, true);
  }
  const records = new Set([...near.keys()].filter((id) => types.get(id) === "record"));
  const ids = new Set([...near.keys()].filter((id) => TRACKED.includes(types.get(id))));
  for (const e of graph.edges) {
    if (records.has(e.source) && TRACKED.includes(types.get(e.target))) ids.add(e.target);
    if (records.has(e.target) && TRACKED.includes(types.get(e.source))) ids.add(e.source);
  }
  return graph.nodes
    .filter((n) => ids.has(n.id))
    .sort((a, b) => a.type.localeCompare(b.type) || String(a.label).localeCompare(b.label));
}

export function linkedSection(config, locationId, { onShow, onFilled }) {
  const box = el("div", { class: "popup-links" }, el("span", { class: "muted", text: "Linked people and vehicles…" }));
  const centre = `location:${locationId}`;
  getJSON(config.urls.linkGraph, { centre, hops: 2 })
    .then((graph) => {
      clear(box);
      const linked = linkedHere(graph, centre);
      const notes = suppressedNotes(graph.suppressed);
      if (!linked.length && !notes.length) {
        box.append(el("div", { class: "muted", text: "No linked people or vehicles." }));
      }
      if (linked.length) {
        box.append(
          el("div", { class: "popup-h", text: `Linked people and vehicles (${linked.length})` }),
          el(
            "ul",
            { class: "popup-linked" },
            linked.map((n) =>
              el(
                "li",
                {},
                onShow
                  ? el("button", {
                      type: "button",
                      class: "linkish",
                      title: "Show its places on the map",
                      "data-node": n.id,
                      text: n.label,
                      onclick: () => onShow(n),
                    })
                  : el("span", { text: n.label }),
                el("span", { class: "muted", text: ` ${kindLabel(n.kind)}` }),
              ),
            ),
          ),
        );
      }
      for (const text of notes) box.append(el("div", { class: "suppressed", text }));
      box.append(el("a", { href: `${config.urls.linkChart}?centre=${encodeURIComponent(centre)}`, text: "Open its link chart" }));
      onFilled?.();
    })
    .catch((err) => {
      clear(box);
      if (err.status === 428) {
        // Who is linked is a consultation: it needs the session's reason.
        const next = `${location.pathname}${location.search}`;
        box.append(
          el("a", {
            href: `${config.urls.justifyPage}?${new URLSearchParams({ next })}`,
            text: "Give your reason for this session to see who is linked",
          }),
        );
      } else {
        box.append(el("div", { class: "error", text: `Linked people and vehicles: ${err.message}` }));
      }
      onFilled?.();
    });
  return box;
}
