// "Find a person" and "Find a vehicle": subjects by reference or descriptor
// words, vehicles by registration mark (the search APIs, each a logged
// consultation); choosing one draws their places (layers/links.js).
import { getJSON } from "../api.js";
import { clear, el } from "../dom.js";
import { kindLabel } from "../chart/entities.js";
import { askSessionReason } from "./results.js";

// One finder: a form, its input and result list, the API it asks, and how
// each answer is named on its button and described beside it.
function createFinder(config, { panel, onPick, formId, inputId, listId, url, type, name, describe, none }) {
  const form = document.getElementById(formId);
  if (!form) return;
  const input = document.getElementById(inputId);
  const list = document.getElementById(listId);

  async function search() {
    clear(list);
    const q = input.value.trim();
    if (!q) return;
    try {
      const found = await getJSON(url, { q });
      if (!found.length) {
        list.append(el("li", { class: "muted", text: none }));
        return;
      }
      for (const item of found) {
        list.append(
          el(
            "li",
            {},
            el("button", {
              type: "button",
              class: "linkish",
              [`data-${type}`]: item.id,
              text: name(item),
              onclick: () => {
                clear(list);
                onPick({ id: `${type}:${item.id}`, label: name(item) });
              },
            }),
            el("span", { class: "muted", text: describe(item) }),
          ),
        );
      }
    } catch (err) {
      if (err.status !== 428) {
        list.append(el("li", { class: "error", text: err.message }));
        return;
      }
      askSessionReason(panel, config, {
        onDone: () => {
          panel.hidden = true;
          search();
        },
      });
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    search();
  });
}

export function createPeopleSearch(config, { panel, onPick }) {
  createFinder(config, {
    panel,
    onPick,
    formId: "people-search",
    inputId: "people-q",
    listId: "people-results",
    url: config.urls.subjectSearch,
    type: "subject",
    name: (s) => s.reference,
    describe: (s) => ` ${kindLabel(s.kind)}${s.descriptors ? ` · ${s.descriptors}` : ""}`,
    none: "No one found that your role may see.",
  });
}

export function createVehicleSearch(config, { panel, onPick }) {
  createFinder(config, {
    panel,
    onPick,
    formId: "vehicle-search",
    inputId: "vehicle-q",
    listId: "vehicle-results",
    url: config.urls.vehicleSearch,
    type: "vehicle",
    name: (v) => v.registration,
    describe: (v) => {
      const what = [v.colour, v.make, v.model].filter(Boolean).join(" ");
      return what ? ` ${what}` : "";
    },
    none: "No vehicle with that mark that your role may see.",
  });
}
