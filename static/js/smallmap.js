// A page's small map (a record, a disruption action): its own point and the
// premises it links to, each a link to its page. Labels are text nodes.
import { el } from "./dom.js";

const data = JSON.parse(document.getElementById("small-map-data").textContent);

window.addEventListener("map:init", (e) => {
  const map = e.detail.map;
  const bounds = [];
  for (const f of data.features) {
    const [lng, lat] = f.point;
    bounds.push([lat, lng]);
    if (f.approximate) {
      // Shown as the 500 m grid square it lies in, never as a pin.
      L.circle([lat, lng], { radius: 354, color: "#546e7a", dashArray: "4 4" }).addTo(map);
      continue;
    }
    const marker = f.record
      ? L.circle([lat, lng], { radius: Math.max(f.precision_m || 10, 10), color: "#b71c1c" })
      : L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#1f4e9c", fillOpacity: 1 });
    const label = f.url ? el("a", { href: f.url, text: f.label }) : el("span", { text: f.label });
    marker.bindTooltip(el("span", { text: f.label })).bindPopup(label).addTo(map);
  }
  if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17, animate: false });
  else if (bounds.length) map.setView(bounds[0], 16, { animate: false });
});
