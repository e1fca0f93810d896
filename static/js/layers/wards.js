// Ward boundaries as a vector layer, and the same wards as a choropleth of
// intelligence in the period (small counts hidden for roles without content).
import { getJSON } from "../api.js";
import { el } from "../dom.js";

const CLASSES = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];

function colour(value, max) {
  if (value === null || value === undefined || max <= 0) return "#cccccc";
  return CLASSES[Math.min(CLASSES.length - 1, Math.floor((value / max) * CLASSES.length))];
}

function wardPopup(p) {
  return el(
    "div",
    { class: "popup" },
    el("strong", { text: `${p.name} (${p.code})` }),
    el("div", { text: `Locations: ${p.locations} (${p.flagged_locations} flagged)` }),
    el("div", { text: `Intelligence in period: ${p.intelligence}` }),
    el("div", { text: `Disruption actions in period: ${p.disruption}` }),
  );
}

export function createWardLayers(map, config) {
  // The choropleth lies under the heat map and markers (overlayPane is 400).
  map.createPane("choropleth").style.zIndex = "350";
  const outline = L.geoJSON(null, {
    style: { color: "#14213d", weight: 1.5, fill: false, opacity: 0.7 },
    interactive: false,
  });
  const choropleth = L.geoJSON(null, {
    pane: "choropleth",
    onEachFeature: (f, layer) => layer.bindPopup(() => wardPopup(f.properties)),
  });
  let loadedFor = null;

  // The legend shows while the choropleth does.
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => el("div", { class: "map-legend", id: "choropleth-legend" });
  legend.update = (max) => {
    const box = legend.getContainer();
    if (!box) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.append(el("strong", { text: "Intelligence per ward" }));
    CLASSES.forEach((c, i) => {
      const lo = Math.round((i * max) / CLASSES.length);
      const hi = Math.round(((i + 1) * max) / CLASSES.length);
      box.append(el("div", {}, el("span", { class: "swatch", style: `background:${c}` }), ` ${lo}–${hi}`));
    });
    box.append(el("div", {}, el("span", { class: "swatch", style: "background:#cccccc" }), " fewer than 3"));
  };
  choropleth.on("add", () => {
    legend.addTo(map);
    legend.update(lastMax);
  });
  choropleth.on("remove", () => legend.remove());
  let lastMax = 0;

  async function refresh(recordParams) {
    const params = new URLSearchParams(recordParams);
    params.set("type", "ward");
    const key = params.toString();
    if (key === loadedFor) return;
    loadedFor = key;
    const data = await getJSON(config.urls.areas, params);
    const max = Math.max(0, ...data.features.map((f) => f.properties.intelligence_density || 0));
    outline.clearLayers().addData(data);
    choropleth.clearLayers().addData(data);
    lastMax = max;
    legend.update(max);
    choropleth.setStyle((f) => ({
      color: "#555",
      weight: 1,
      fillOpacity: 0.55,
      fillColor: colour(f.properties.intelligence_density, max),
    }));
  }

  return { outline, choropleth, refresh };
}
