// Live safety plans' trigger places, drawn as "Safety-plan place": what a
// police response needs to know, never the child. Labels are text nodes.
import { getJSON } from "../api.js";
import { el } from "../dom.js";

export function createSafetyPlanLayer(map, config) {
  const layer = L.layerGroup();
  let loaded = false;

  async function refresh() {
    if (!map.hasLayer(layer) || loaded) return;
    const data = await getJSON(config.urls.safetyPlaces, new URLSearchParams());
    layer.clearLayers();
    for (const f of data.features) {
      const [lng, lat] = f.geometry.coordinates;
      const p = f.properties;
      // A marker (above the location clusters), its icon a text node.
      const icon = L.divIcon({
        className: "safety-place-icon",
        html: el("span", { text: "SP" }),
        iconSize: [28, 28],
      });
      L.marker([lat, lng], { icon, title: p.label, zIndexOffset: 1000 })
        .bindTooltip(el("span", { text: p.label }))
        .bindPopup(() => el("div", { class: "popup safety-place" }, el("strong", { text: p.label }), el("div", { text: p.name })))
        .addTo(layer);
    }
    loaded = true;
  }

  return { layer, refresh };
}
