// "How are these connected?": two entities (picked on the chart or typed as
// type:id), the shortest paths between them from the path API, drawn on the
// chart and listed step by step with the records each step rests on.
import { clear, el, showError } from "../dom.js";
import { parseRef } from "./entities.js";
import { fetchPaths, mergeGraph } from "./graph.js";
import { linkSentence } from "./panel.js";

export function createPaths(cy, config, { onNeedReason, relayout }) {
  const form = document.getElementById("paths-form");
  const from = document.getElementById("path-from");
  const to = document.getElementById("path-to");
  const maxHops = document.getElementById("path-max-hops");
  const list = document.getElementById("path-options");
  const out = document.getElementById("path-results");

  // The datalist offers every node on the chart by its label.
  function refreshOptions() {
    clear(list);
    cy.nodes().forEach((n) => list.append(el("option", { value: n.id(), label: n.data("label") })));
  }

  // The node picked on the chart, a label typed as shown on it, or a
  // type:id reference.
  function resolve(input) {
    const text = input.value;
    if (input.dataset.ref && text === input.dataset.label) return input.dataset.ref;
    const ref = parseRef(text);
    if (ref) return ref.ref;
    const wanted = String(text || "").trim().toLowerCase();
    const match = cy.nodes().filter((n) => String(n.data("label")).toLowerCase() === wanted);
    return match.length === 1 ? match[0].id() : null;
  }

  function clearPaths() {
    cy.elements().removeClass("faded on-path");
    cy.nodes().removeClass("endpoint");
    clear(out);
  }

  function setEnd(which, id) {
    const input = which === "from" ? from : to;
    const node = cy.getElementById(id);
    input.value = node.nonempty() ? node.data("label") : id;
    input.dataset.ref = id;
    input.dataset.label = input.value;
    form.hidden = false;
    form.closest("details")?.setAttribute("open", "");
    (which === "from" ? to : from).focus();
  }

  function showPaths(data, a, b) {
    clearPaths();
    const onPath = cy.collection();
    for (const p of data.paths) {
      mergeGraph(cy, p, { near: a });
      for (const n of p.nodes) onPath.merge(cy.getElementById(n.id));
      for (const e of p.edges) onPath.merge(cy.getElementById(e.id));
    }
    if (data.paths.length) {
      cy.elements().not(onPath).addClass("faded");
      onPath.addClass("on-path");
      relayout();
    }
    cy.getElementById(a).addClass("endpoint");
    cy.getElementById(b).addClass("endpoint");
    const name = (id) => (cy.getElementById(id).nonempty() ? cy.getElementById(id).data("label") : id);
    out.append(
      el(
        "header",
        { class: "row spread" },
        el("h3", {
          text: data.paths.length
            ? `${data.paths.length} shortest path${data.paths.length > 1 ? "s" : ""} from ${name(a)} to ${name(b)}`
            : `No path of at most ${maxHops.value} hops from ${name(a)} to ${name(b)} that your role may see.`,
        }),
        el("button", { type: "button", class: "small secondary", text: "Clear", onclick: clearPaths }),
      ),
    );
    if (!data.paths.length) return;
    out.append(
      el(
        "ol",
        { class: "paths", id: "path-list" },
        data.paths.map((p, i) =>
          el(
            "li",
            {},
            el("h4", { text: `Path ${i + 1}: ${p.edges.length} step${p.edges.length > 1 ? "s" : ""}` }),
            el(
              "ol",
              { class: "steps" },
              p.edges.map((e) => el("li", {}, linkSentence(cy, config, cy.getElementById(e.id)))),
            ),
          ),
        ),
      ),
    );
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clear(out);
    const a = resolve(from);
    const b = resolve(to);
    if (!a || !b) {
      showError(out, `Name ${!a ? "the first" : "the second"} entity as it is labelled on the chart, or as type:id (e.g. location:12).`);
      return;
    }
    if (a === b) {
      showError(out, "Pick two different entities.");
      return;
    }
    try {
      showPaths(await fetchPaths(config, { from: a, to: b, maxHops: maxHops.value }), a, b);
    } catch (err) {
      if (err.status === 428) onNeedReason(() => form.requestSubmit());
      else showError(out, err.message);
    }
  });
  cy.on("add remove", "node", refreshOptions);
  return { setEnd, clearPaths };
}
