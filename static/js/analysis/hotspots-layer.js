// Getis-Ord Gi* hot-spot cells from /api/v1/hotspots/, outlined by class
// (new, emerging, persistent, former), with a DOM-built popup. Wire it into
// the map like the other layers: createHotspotLayer(map, config) where
// config.urls.hotspots = reverse("api-hotspots").
import { getJSON } from "../api.js";
import { el } from "../dom.js";

export const CLASS_COLOURS = {
  new: "#d7301f",
  emerging: "#fc8d59",
  persistent: "#7a0177",
  former: "#2b8cbe",
};

function style(feature) {
  const p = feature.properties;
  const colour = CLASS_COLOURS[p.class] || (p.hot ? "#d7301f" : "#888888");
  return { color: colour, weight: 2, fillColor: colour, fillOpacity: p.class === "former" ? 0.05 : 0.25 };
}

function popup(p) {
  const label = p.class ? p.class[0].toUpperCase() + p.class.slice(1) : p.hot ? "Hot" : "Cold";
  return el(
    "div",
    { class: "popup" },
    el("strong", { text: `${label} hot spot` }),
    el("div", { text: `${p.count} records in this ${p.cell_m} m cell` }),
    el("div", { text: `Gi* z = ${p.z.toFixed(2)}, FDR q = ${p.q.toFixed(3)}` }),
    el("div", { text: `Earlier periods z: ${p.z_previous.map((z) => z.toFixed(1)).join(", ")}` }),
  );
}

export function createHotspotLayer(map, config, { settingsBox } = {}) {
  const layer = L.geoJSON(null, { style, onEachFeature: (f, l) => l.bindPopup(() => popup(f.properties)) });

  // recordParams may carry since/until; the statistics use a period in days
  // ending on "until" (today when absent).
  async function refresh(recordParams) {
    if (!map.hasLayer(layer)) return;
    const params = new URLSearchParams(config.params || {});
    const until = recordParams && recordParams.get("until");
    const since = recordParams && recordParams.get("since");
    if (until) params.set("end", until.slice(0, 10));
    if (since && until) {
      const days = Math.round((Date.parse(until) - Date.parse(since)) / 86400000);
      if (days >= 7 && days <= 365) params.set("days", String(days));
    }
    const data = await getJSON(config.urls.hotspots, params);
    layer.clearLayers();
    layer.addData(data);
    if (settingsBox) settingsBox.textContent = data.settings.grid;
  }

  return { layer, refresh };
}
