// The map workspace: wires the filter panel, layers and tools to the map
// django-leaflet creates (its map:init event).
import { parseRef } from "./chart/entities.js";
import { applyURL, locationParams, readFilters, recordParams, writeURL } from "./filters.js";
import { createHotspotLayer } from "./analysis/hotspots-layer.js";
import { createDisruptionLayer } from "./layers/disruption.js";
import { createHeatLayer } from "./layers/heat.js";
import { linkedSection } from "./layers/linked.js";
import { createLinkTrack } from "./layers/links.js";
import { createLocationsLayer } from "./layers/locations.js";
import { createSafetyPlanLayer } from "./layers/safetyplan.js";
import { showRegisterSelection } from "./layers/selection.js";
import { createWardLayers } from "./layers/wards.js";
import { createSearch } from "./search.js";
import { createPeopleSearch, createVehicleSearch } from "./tools/people-search.js";
import { createPolygonTool } from "./tools/polygon.js";
import { createRadiusTool } from "./tools/radius.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const DEFAULT_LAYERS = ["locations", "heat", "wards", "safetyplan"];

function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

function start(map) {
  const form = document.getElementById("filters");
  const panel = document.getElementById("results");
  const { view, layers: urlLayers } = applyURL(form);
  if (view) map.setView(view.center, view.zoom);

  const radius = config.can.query
    ? createRadiusTool(map, config, { panel, getRecordParams: () => recordParams(readFilters(form)) })
    : null;
  createPolygonTool(map, config, { panel, getRecordParams: () => recordParams(readFilters(form)) });
  const onQuery = radius ? (latlng) => radius.run(latlng) : null;

  // A subject's or vehicle's places, picked from a location's popup.
  const track = config.can.links ? createLinkTrack(map, config, { container: document.querySelector(".panel") }) : null;
  const showTrack = track
    ? (node) => {
        map.closePopup();
        track.show(node);
      }
    : null;
  const linkedFor =
    config.can.links || config.can.linkCounts
      ? (id, onFilled) => linkedSection(config, id, { onShow: showTrack, onFilled })
      : null;
  const locations = createLocationsLayer(map, config, { onQuery, linkedFor });
  if (track) {
    createPeopleSearch(config, { panel, onPick: (node) => track.show(node) });
    createVehicleSearch(config, { panel, onPick: (node) => track.show(node) });
  }
  // Arrived from a link chart's "show its places on the map".
  const tracked = parseRef(new URLSearchParams(location.search).get("track"));
  if (track && tracked && ["subject", "vehicle"].includes(tracked.type)) track.show({ id: tracked.ref });
  document.querySelector(".layers").append(locations.status);
  const heat = createHeatLayer(map, config, { settingsBox: document.getElementById("heat-settings") });
  const missing = createHeatLayer(map, config, {
    kind: "missing",
    gradient: { 0.4: "#c6dbef", 0.7: "#4292c6", 1: "#08306b" },
  });
  const wards = createWardLayers(map, config);
  const disruption = createDisruptionLayer(map, config);
  const hotspots = config.can.hotspots ? createHotspotLayer(map, config) : null;
  const layers = {
    locations: locations.layer,
    heat: heat.layer,
    missing: missing.layer,
    disruption: disruption.layer,
    wards: wards.outline,
    choropleth: wards.choropleth,
  };
  if (hotspots) layers.hotspots = hotspots.layer;
  const safetyPlaces = config.can.safetyPlaces ? createSafetyPlanLayer(map, config) : null;
  if (safetyPlaces) layers.safetyplan = safetyPlaces.layer;

  const checkboxes = [...document.querySelectorAll(".layers input[data-layer]")];
  const wanted = new Set(urlLayers || DEFAULT_LAYERS);
  for (const box of checkboxes) box.checked = wanted.has(box.dataset.layer);

  function activeLayers() {
    return checkboxes.filter((b) => b.checked).map((b) => b.dataset.layer);
  }

  async function refresh() {
    const f = readFilters(form);
    const rp = recordParams(f);
    for (const box of checkboxes) {
      const layer = layers[box.dataset.layer];
      if (box.checked && !map.hasLayer(layer)) map.addLayer(layer);
      if (!box.checked && map.hasLayer(layer)) map.removeLayer(layer);
    }
    writeURL(f, map, activeLayers());
    document.querySelector(".heat-settings").hidden = !map.hasLayer(heat.layer);
    // The heat map and the markers first: they are what a look at the map is
    // for. The ward outlines (fetched once per period) and the other overlays
    // follow, rather than share the server's cores with them.
    const first = [heat.refresh(rp), missing.refresh(rp)];
    if (map.hasLayer(locations.layer)) first.push(locations.refresh(locationParams(f)));
    await Promise.allSettled(first);
    const rest = [disruption.refresh(rp), wards.refresh(rp)];
    if (hotspots) rest.push(hotspots.refresh(rp));
    if (safetyPlaces) rest.push(safetyPlaces.refresh());
    await Promise.allSettled(rest);
    map.getContainer().dataset.ready = "true";
  }
  const refreshSoon = debounce(refresh, 250);

  form.addEventListener("change", (e) => {
    if (e.target.id === "f-period") form.querySelector("#f-custom").hidden = e.target.value !== "custom";
    map.getContainer().dataset.ready = "false";
    refreshSoon();
  });
  for (const box of checkboxes) box.addEventListener("change", refreshSoon);
  map.on("moveend", refreshSoon);
  createSearch(map, config, { onPick: (f) => locations.focus(f.id) });
  // Arrived from a register's "show these on the map": its rows go on top.
  const selection = showRegisterSelection(map, config, { container: document.querySelector(".panel") });
  if (new URLSearchParams(location.search).has("show")) {
    selection.then(() => refresh());
  } else {
    refresh();
  }
}

window.addEventListener("map:init", (e) => start(e.detail.map));
