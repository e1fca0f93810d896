// "Show these on the map": a register's filtered rows, as the register
// sends them (its _map feed), drawn over the map with a link back to the
// list. Labels are text nodes, never HTML.
import { getJSON } from "../api.js";
import { el } from "../dom.js";

const SHOW = { records: "records", locations: "locations", actions: "actions" };
const LABELS = { records: "records", locations: "premises", actions: "disruption actions" };
const ONE = { records: "record", locations: "premises", actions: "disruption action" };
// Map state, not register filters: left out of the register's query.
const MAP_KEYS = ["show", "at", "layers", "period", "low", "flagged"];

export async function showRegisterSelection(map, config, { container }) {
  const params = new URLSearchParams(location.search);
  const which = SHOW[params.get("show")];
  const base = which && config.registers[which];
  if (!base) return null;
  for (const k of MAP_KEYS) params.delete(k);
  const listUrl = `${base}?${params}`;
  params.set("_map", "1");
  // Above the other layers' markers: these are what the user came to see.
  const pane = map.createPane("register-selection");
  pane.style.zIndex = 650;
  const layer = L.featureGroup().addTo(map);
  const box = el("div", { class: "selection-status", id: "register-selection" });
  container.prepend(box);
  try {
    const data = await getJSON(base, params);
    for (const f of data.features) {
      const [lng, lat] = f.geometry.coordinates;
      const marker = f.properties.approximate
        ? L.circle([lat, lng], { radius: 354, color: "#546e7a", dashArray: "4 4", pane: "register-selection" })
        : L.circleMarker([lat, lng], {
            radius: 7,
            color: "#fff",
            weight: 2,
            fillColor: "#d84315",
            fillOpacity: 1,
            pane: "register-selection",
            className: "selection-marker",
          });
      marker
        .bindTooltip(el("span", { text: f.properties.label }))
        .bindPopup(el("a", { href: f.properties.url, text: f.properties.label }))
        .addTo(layer);
    }
    const n = data.features.length;
    box.append(
      el("strong", {
        text: `${n}${data.truncated ? "+" : ""} ${n === 1 && !data.truncated ? ONE[which] : LABELS[which]} from the register`,
      }),
      " · ",
      el("a", { href: listUrl, id: "selection-list", text: "back to the list" }),
    );
    if (n) map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 16, animate: false });
  } catch (err) {
    box.append(el("p", { class: "error", role: "alert", text: err.message }));
  }
  return layer;
}

// "List these": a map selection (a radius or a drawn area) as a register's
// filters, one link per register the role may open.
export function listTheseLinks(config, query) {
  const links = [];
  for (const [which, url] of Object.entries(config.registers)) {
    if (!url) continue;
    links.push(el("a", { href: `${url}?${query}`, class: "list-these", "data-register": which, text: `List these ${LABELS[which]}` }));
  }
  const problem = problemLink(config, query);
  if (problem) links.push(problem);
  return links.length ? el("p", { class: "row", id: "list-these" }, ...links) : null;
}

// A radius as the place of a new problem profile: its circle and period
// become the profile's selection (the analysis pages' parameters).
function problemLink(config, query) {
  const url = config.urls.problems;
  const params = new URLSearchParams(query);
  if (!url || !params.has("point")) return null;
  const out = new URLSearchParams({ point: params.get("point"), radius_m: params.get("radius") });
  const since = params.get("since");
  const until = params.get("until");
  if (since && until) {
    const days = Math.round((Date.parse(until) - Date.parse(since)) / 86400000) + 1;
    out.set("until", until);
    out.set("days", String(Math.min(Math.max(days, 7), 730)));
  }
  return el("a", { href: `${url}?${out}#new-problem`, class: "list-these", id: "make-problem", text: "Make a problem profile" });
}
