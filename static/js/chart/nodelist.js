// The chart's nodes as a list beside the canvas, by type: a keyboard and
// screen-reader way to every node, and the legend in one.
import { clear, el } from "../dom.js";
import { TYPES, TYPE_LABELS, kindLabel } from "./entities.js";

export function createNodeList(cy, { onPick }) {
  const box = document.getElementById("node-list");
  const count = document.getElementById("node-count");

  function render() {
    clear(box);
    const shown = cy.nodes().not(".hidden-node");
    count.textContent = String(shown.length);
    for (const type of TYPES) {
      const nodes = shown.filter((n) => n.data("type") === type).sort((a, b) => String(a.data("label")).localeCompare(b.data("label")));
      if (!nodes.length) continue;
      box.append(
        el("h4", { text: `${TYPE_LABELS[type]}s (${nodes.length})` }),
        el(
          "ul",
          { class: "node-list" },
          nodes.map((n) =>
            el(
              "li",
              {},
              el("span", { class: `swatch ${n.classes().join(" ")}`, "aria-hidden": "true" }),
              el("button", {
                type: "button",
                class: "linkish",
                "data-node": n.id(),
                text: n.data("label"),
                onclick: () => onPick(n.id()),
              }),
              el("span", { class: "muted", text: ` ${kindLabel(n.data("kind"), n.data("type"))}` }),
            ),
          ),
        ),
      );
    }
  }

  let pending = false;
  // Many nodes arrive at once: draw the list once per frame, not per node.
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  }
  cy.on("add remove class", "node", soon);
  return { render };
}
