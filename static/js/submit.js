// The partner information form: where (map pin, premises from the register,
// or a postcode's pin to confirm), and the premises involved and how.
import { getJSON } from "./api.js";
import { clear, el } from "./dom.js";

const config = JSON.parse(document.getElementById("submit-config").textContent);
const form = document.getElementById("submit-form");
const lonInput = form.elements.lon;
const latInput = form.elements.lat;
const confirmBox = form.elements.pin_confirmed;
let map = null;
let marker = null;

function method() {
  const checked = form.querySelector("input[name=location_method]:checked");
  return checked ? checked.value : "";
}

function placePin(lng, lat, { zoom = 17, fromUser = false } = {}) {
  lonInput.value = lng.toFixed(6);
  latInput.value = lat.toFixed(6);
  if (!map) return;
  if (!marker) {
    marker = L.marker([lat, lng], { draggable: true, title: "Where it happened" }).addTo(map);
    marker.on("dragend", () => {
      const p = marker.getLatLng();
      placePin(p.lng, p.lat, { fromUser: true });
    });
  } else {
    marker.setLatLng([lat, lng]);
  }
  if (!fromUser) map.setView([lat, lng], zoom, { animate: false });
}

window.addEventListener("map:init", (e) => {
  map = e.detail.map;
  const [lat, lng] = config.center;
  map.setView([lat, lng], 13, { animate: false });
  if (lonInput.value && latInput.value) {
    placePin(Number(lonInput.value), Number(latInput.value));
  }
  map.on("click", (ev) => {
    placePin(ev.latlng.lng, ev.latlng.lat, { fromUser: true });
    // A pin the user placed is where they say it happened.
    if (method() === "postcode") confirmBox.checked = true;
    else if (!method()) form.querySelector("input[name=location_method][value=map]").checked = true;
    showWhere();
  });
});

function showWhere() {
  const m = method();
  document.querySelector(".where-postcode").hidden = m !== "postcode";
  document.getElementById("field-pin_confirmed").hidden = m !== "postcode";
  document.getElementById("map-hint").textContent =
    m === "postcode"
      ? "Check the pin: move it if you know better, then tick to confirm."
      : "Tap the map to place the pin, or drag it to where it happened.";
}
for (const r of form.querySelectorAll("input[name=location_method]")) r.addEventListener("change", showWhere);
showWhere();

function showWindow() {
  const checked = form.querySelector("input[name=when]:checked");
  const windowed = checked && checked.value === "window";
  document.getElementById("field-occurred_to").hidden = !windowed;
  document.querySelector("label[for=id_occurred_from]").textContent = windowed ? "From" : "When did it happen?";
}
for (const r of form.querySelectorAll("input[name=when]")) r.addEventListener("change", showWindow);
showWindow();

// --- Premises involved -------------------------------------------------------
const chosen = document.getElementById("premises-chosen");
const results = document.getElementById("premises-results");
const query = document.getElementById("premises-q");

function addPremises({ id, name, how = "venue", point = null }) {
  if (chosen.querySelector(`li[data-id="${id}"]`)) return;
  const hidden = el("input", { type: "hidden", name: "premises", value: `${id}:${how}` });
  const select = el(
    "select",
    { "aria-label": `How ${name} was involved`, onchange: () => (hidden.value = `${id}:${select.value}`) },
    config.premisesHow.map(([value, label]) => el("option", { value, text: label, selected: value === how })),
  );
  const remove = el("button", { type: "button", class: "secondary", text: "Remove", onclick: () => item.remove() });
  const item = el("li", { "data-id": String(id) }, el("strong", { text: name }), select, remove, hidden);
  chosen.append(item);
  if (point && (method() === "premises" || !lonInput.value)) {
    if (!method()) form.querySelector("input[name=location_method][value=premises]").checked = true;
    placePin(point[0], point[1]);
    showWhere();
  }
}
for (const p of config.chosen) addPremises(p);

let pending = null;
let timer = null;
query.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(search, 150);
});

async function search() {
  const q = query.value.trim();
  clear(results);
  if (q.length < config.searchMinChars) return;
  if (pending) pending.abort();
  pending = new AbortController();
  try {
    const data = await getJSON(config.premisesSearch, { q }, { signal: pending.signal });
    if (!data.results.length) {
      results.append(el("li", { class: "muted", text: "No premises in the register matches: give a postcode or pick the place on the map." }));
    }
    for (const r of data.results) {
      const label = [r.name, r.category, [r.address, r.postcode].filter(Boolean).join(", ")].filter(Boolean).join(" · ");
      results.append(
        el(
          "li",
          { role: "option" },
          el("button", {
            type: "button",
            text: label,
            onclick: () => {
              addPremises({ id: r.id, name: r.name, point: r.point });
              clear(results);
              query.value = "";
            },
          }),
        ),
      );
    }
  } catch (err) {
    if (err.name !== "AbortError") results.append(el("li", { class: "error", text: err.message }));
  }
}

// --- Postcode: a pin at its centre, for the user to check ---------------------
document.getElementById("postcode-find").addEventListener("click", async () => {
  const box = document.getElementById("field-postcode");
  for (const old of box.querySelectorAll(".error")) old.remove();
  try {
    const data = await getJSON(config.postcodeLookup, { postcode: form.elements.postcode.value });
    placePin(data.point[0], data.point[1]);
    confirmBox.checked = false;
    confirmBox.focus();
  } catch (err) {
    box.append(el("p", { class: "error", role: "alert", text: err.message }));
  }
});
