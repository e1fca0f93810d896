// The location page: a small map of the place, and the checklist that
// follows the chosen sector in the visit form.
import { el } from "./dom.js";

const data = JSON.parse(document.getElementById("location-map").textContent);

window.addEventListener("map:init", (e) => {
  const map = e.detail.map;
  const [lng, lat] = data.point;
  if (data.approximate) {
    // Shown as the 500 m grid square it lies in, never as a pin.
    L.circle([lat, lng], { radius: 354, color: "#546e7a", dashArray: "4 4" }).addTo(map);
    map.setView([lat, lng], 15, { animate: false });
  } else {
    L.circleMarker([lat, lng], { radius: 9, color: "#fff", weight: 2, fillColor: "#1f4e9c", fillOpacity: 1 })
      // A node, not a string: Leaflet would read a string as HTML.
      .bindTooltip(el("span", { text: data.name }))
      .addTo(map);
    map.setView([lat, lng], 17, { animate: false });
  }
});

const sector = document.getElementById("id_sector");
function showChecklist() {
  for (const box of document.querySelectorAll(".checklist")) {
    const on = box.dataset.sector === sector.value;
    box.hidden = !on;
    for (const input of box.querySelectorAll("input")) input.disabled = !on;
  }
  const fieldset = document.getElementById("checklists");
  if (fieldset) fieldset.hidden = !sector.value;
}
if (sector) {
  sector.addEventListener("change", showChecklist);
  showChecklist();
}

// The notice fields only matter for powers that run out (s.116, closure, ...).
const actionType = document.getElementById("id_action_type");
const NOTICE_FIELDS = ["served_at", "expires_at", "authorised_by", "authorising_rank"];
function showNoticeFields() {
  const timed = data.timedPowers.includes(actionType.value);
  for (const name of NOTICE_FIELDS) {
    const input = document.getElementById(`id_${name}`);
    const label = document.querySelector(`label[for=id_${name}]`);
    if (input) input.hidden = !timed;
    if (label) label.hidden = !timed;
  }
}
if (actionType) {
  actionType.addEventListener("change", showNoticeFields);
  showNoticeFields();
}
