// "Find a person": subjects by reference or descriptor words (the subject
// search API, a logged consultation); choosing one draws their places.
import { getJSON } from "../api.js";
import { clear, el } from "../dom.js";
import { kindLabel } from "../chart/entities.js";
import { askSessionReason } from "./results.js";

export function createPeopleSearch(config, { panel, onPick }) {
  const form = document.getElementById("people-search");
  if (!form) return;
  const input = document.getElementById("people-q");
  const list = document.getElementById("people-results");

  async function search() {
    clear(list);
    const q = input.value.trim();
    if (!q) return;
    try {
      const found = await getJSON(config.urls.subjectSearch, { q });
      if (!found.length) {
        list.append(el("li", { class: "muted", text: "No one found that your role may see." }));
        return;
      }
      for (const s of found) {
        list.append(
          el(
            "li",
            {},
            el("button", {
              type: "button",
              class: "linkish",
              "data-subject": s.id,
              text: s.reference,
              onclick: () => {
                clear(list);
                onPick({ id: `subject:${s.id}`, label: s.reference });
              },
            }),
            el("span", { class: "muted", text: ` ${kindLabel(s.kind)}${s.descriptors ? ` · ${s.descriptors}` : ""}` }),
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
