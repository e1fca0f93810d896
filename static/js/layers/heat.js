// Intelligence density from the server's pre-binned cells (Leaflet.heat),
// with the settings used shown beside the map so a decision can be audited.
import { getJSON } from "../api.js";
import { clear, el } from "../dom.js";
import { bboxParam } from "../filters.js";

const EARTH_CIRCUMFERENCE_M = 40075016.686;

function metresPerPixel(map) {
  const lat = map.getCenter().lat;
  return (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / 2 ** (map.getZoom() + 8);
}

export function describeSettings(container, s, records) {
  clear(container);
  const rows = [
    ["Period", `${s.since} to ${s.until}`],
    ["Kind", s.kind],
    ["Minimum grade", s.min_grade || (s.include_low_grade ? "any" : "any except E / source 3")],
    ["Cell size", `${s.cell_m} m`],
    ["Bandwidth", `${s.bandwidth_m} m`],
    ["Source weights", Object.entries(s.weights.source).map(([k, v]) => `${k}: ${v}`).join(", ")],
    ["Grade weights", Object.entries(s.weights.assessment).map(([k, v]) => `${k}: ${v}`).join(", ")],
    ["Age weight", s.weights.age],
    ["Records", String(records)],
  ];
  if (s.small_cells_suppressed_below) {
    rows.push(["Small cells", `cells under ${s.small_cells_suppressed_below} records hidden`]);
  }
  for (const [k, v] of rows) container.append(el("dt", { text: k }), el("dd", { text: v }));
}

export function createHeatLayer(map, config, { kind = "", settingsBox = null, gradient } = {}) {
  const layer = L.heatLayer([], { radius: 20, blur: 15, minOpacity: 0.25, gradient });
  let controller = null;

  async function refresh(recordParams) {
    if (!map.hasLayer(layer)) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const params = new URLSearchParams(recordParams);
    params.set("bbox", bboxParam(map));
    params.set("zoom", String(Math.round(map.getZoom())));
    if (kind) params.set("kind", kind);
    let data;
    try {
      data = await getJSON(config.urls.heatmap, params, { signal: controller.signal });
    } catch (err) {
      if (err.name !== "AbortError" && settingsBox) {
        clear(settingsBox).append(el("dd", { class: "error", text: err.message }));
      }
      return;
    }
    const s = data.settings;
    const radiusPx = Math.max(6, Math.min(60, s.bandwidth_m / metresPerPixel(map)));
    layer.setOptions({ radius: radiusPx, blur: radiusPx * 0.8, max: data.max_weight || 1 });
    layer.setLatLngs(data.cells.map(([lng, lat, w]) => [lat, lng, w]));
    if (settingsBox) describeSettings(settingsBox, s, data.records);
    map.getContainer().dataset[kind ? "missingCells" : "heatCells"] = String(data.cells.length);
  }

  return { layer, refresh };
}
