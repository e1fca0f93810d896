// The location popup's "linked people and vehicles": who and what is linked
// for roles cleared to see subjects, a count (small counts suppressed by the
// server) for the others. Filled in after the popup opens.
import { getJSON } from "../api.js";
import { kindLabel } from "../chart/entities.js";
import { clear, el } from "../dom.js";
import { suppressedNotes } from "../chart/panel.js";

const TRACKED = ["subject", "vehicle"];

export function linkedSection(config, locationId, { onShow, onFilled }) {
  const box = el("div", { class: "popup-links" }, el("span", { class: "muted", text: "Linked people and vehicles…" }));
  const centre = `location:${locationId}`;
  getJSON(config.urls.linkGraph, { centre, hops: 1 })
    .then((graph) => {
      clear(box);
      const linked = graph.nodes.filter((n) => TRACKED.includes(n.type));
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
      // A role that sees no links is told nothing more than that.
      box.append(el("div", { class: "error", text: `Linked people and vehicles: ${err.message}` }));
      onFilled?.();
    });
  return box;
}
