// Disruption actions in view as small squares, with a DOM-built popup.
import { getJSON } from "../api.js";
import { el } from "../dom.js";
import { bboxParam } from "../filters.js";

export function createDisruptionLayer(map, config) {
  const layer = L.layerGroup();

  async function refresh(recordParams) {
    if (!map.hasLayer(layer)) return;
    const params = new URLSearchParams({ bbox: bboxParam(map), page_size: "2000" });
    for (const k of ["since", "until"]) if (recordParams.get(k)) params.set(k, recordParams.get(k));
    const data = await getJSON(config.urls.disruptions, params);
    layer.clearLayers();
    for (const f of data.features) {
      if (!f.geometry) continue;
      const [lng, lat] = f.geometry.coordinates;
      const p = f.properties;
      L.circleMarker([lat, lng], { radius: 6, color: "#1b5e20", fillColor: "#66bb6a", fillOpacity: 0.9, weight: 2 })
        .bindPopup(() =>
          el(
            "div",
            { class: "popup" },
            el("strong", { text: p.action_type_label }),
            el("div", { text: p.location_name }),
            el("div", { text: `${p.occurred_at.slice(0, 10)} · ${p.outcome_label} · ${p.agency_label}` }),
          ),
        )
        .addTo(layer);
    }
  }

  return { layer, refresh };
}
