// Locations: each marker (clustered in the browser) while few are in view,
// else the server's grid clusters. Icon letters by category, colour by concern.
import { getJSON } from "../api.js";
import { el, metres } from "../dom.js";
import { CATEGORY_MARK } from "../categories.js";
import { bboxParam } from "../filters.js";

const CONCERN_CLASS = { none: "c-none", low: "c-low", medium: "c-medium", high: "c-high" };

function locationIcon(m) {
  return L.divIcon({
    className: `loc-icon ${CONCERN_CLASS[m.concern_level] || "c-none"}${m.position_approximate ? " approx" : ""}`,
    html: "", // the letter goes in as textContent when the marker is added
    iconSize: [26, 26],
    iconAnchor: [13, 13],
  });
}

export function locationPopup(props, { onQuery, linked } = {}) {
  const box = el(
    "div",
    { class: "popup" },
    el("strong", { text: props.name }),
    el("div", { class: "muted", text: props.category_label }),
    props.address ? el("div", { text: `${props.address} ${props.postcode}`.trim() }) : null,
    props.position_approximate ? el("div", { class: "muted", text: "Position shown to the nearest 500 m." }) : null,
    el("div", { text: `Concern: ${props.concern_label}` }),
    props.distance_m !== null && props.distance_m !== undefined
      ? el("div", { text: `Distance: ${metres(props.distance_m)}` })
      : null,
    el("a", { href: props.url, text: "Open location page" }),
  );
  if (onQuery) box.append(el("button", { type: "button", class: "small", text: "What is here?", onclick: onQuery }));
  if (linked) box.append(linked);
  return box;
}

function clusterIcon(count, flagged) {
  const size = count < 100 ? 34 : count < 1000 ? 42 : 50;
  return L.divIcon({
    className: `server-cluster${flagged ? " has-flagged" : ""}`,
    html: "",
    iconSize: [size, size],
  });
}

export function createLocationsLayer(map, config, { onQuery, linkedFor } = {}) {
  const group = L.markerClusterGroup({
    chunkedLoading: true,
    maxClusterRadius: 40,
    disableClusteringAtZoom: 17,
    spiderfyOnMaxZoom: false,
  });
  const clusters = L.layerGroup();
  const layer = L.layerGroup([group, clusters]);
  const status = el("p", { class: "muted layer-status", id: "locations-status" });
  let controller = null;
  let markersById = new Map();
  let pendingFocus = null;

  // Open a location's popup once its marker is on the map (after a search).
  function openPending() {
    const mk = pendingFocus !== null && markersById.get(pendingFocus);
    if (!mk) return;
    pendingFocus = null;
    group.zoomToShowLayer(mk, () => mk.openPopup());
  }

  // The marker opens after the next refresh, which the search's move brings.
  function focus(id) {
    pendingFocus = id;
  }

  function marker(m) {
    const mk = L.marker([m.lat, m.lon], { icon: locationIcon(m), title: m.name });
    mk.on("add", () => {
      const node = mk.getElement();
      if (node) node.textContent = CATEGORY_MARK[m.category] || "?";
    });
    mk.bindPopup(el("div", { class: "popup muted", text: m.name }));
    mk.on("popupopen", async () => {
      try {
        const detail = await getJSON(config.urls.locationDetail.replace("{id}", m.id));
        const extra = onQuery ? { onQuery: () => onQuery(L.latLng(m.lat, m.lon)) } : {};
        if (linkedFor) extra.linked = linkedFor(m.id, () => mk.getPopup()?.update());
        mk.setPopupContent(locationPopup(detail.properties, extra));
      } catch (err) {
        mk.setPopupContent(el("div", { class: "error", text: err.message }));
      }
    });
    return mk;
  }

  function cluster([lon, lat, count, flagged]) {
    const c = L.marker([lat, lon], {
      icon: clusterIcon(count, flagged),
      title: `${count} locations${flagged ? `, ${flagged} flagged` : ""}: zoom in`,
    });
    c.on("add", () => {
      const node = c.getElement();
      if (node) node.textContent = String(count);
    });
    c.on("click", () => map.setView([lat, lon], Math.min(map.getZoom() + 2, 18)));
    return c;
  }

  async function refresh(filterParams) {
    if (controller) controller.abort();
    controller = new AbortController();
    const params = new URLSearchParams(filterParams);
    params.set("bbox", bboxParam(map));
    params.set("zoom", String(Math.round(map.getZoom())));
    let data;
    try {
      data = await getJSON(config.urls.markers, params, { signal: controller.signal });
    } catch (err) {
      if (err.name !== "AbortError") status.textContent = `Locations: ${err.message}`;
      return;
    }
    const fields = data.fields;
    group.clearLayers();
    clusters.clearLayers();
    const markers = data.markers.map((row) => marker(Object.fromEntries(fields.map((f, i) => [f, row[i]]))));
    markersById = new Map(markers.map((mk, i) => [data.markers[i][0], mk]));
    group.addLayers(markers);
    for (const c of data.clusters || []) clusters.addLayer(cluster(c));
    status.textContent = data.clusters
      ? `${data.count} locations in view, grouped: zoom in to see each.`
      : `${data.count} locations in view.`;
    openPending();
  }

  return { layer, refresh, status, focus };
}
