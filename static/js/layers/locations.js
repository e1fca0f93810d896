// Locations as clustered markers: icon letters by category, colour by concern.
import { getJSON } from "../api.js";
import { el, metres } from "../dom.js";
import { bboxParam } from "../filters.js";

const CONCERN_CLASS = { none: "c-none", low: "c-low", medium: "c-medium", high: "c-high" };
const CATEGORY_MARK = {
  hotel: "H", bnb: "B", takeaway: "T", taxi_rank: "Tx", private_hire_base: "PH",
  shisha_lounge: "S", licensed_premises: "L", park: "P", car_park: "CP",
  transport_hub: "TH", shopping_centre: "SC", vacant_property: "V",
  residential_concern: "R", childrens_home: "CH", school: "Sc", other: "O",
};

export function locationIcon(props) {
  return L.divIcon({
    className: `loc-icon ${CONCERN_CLASS[props.concern_level] || "c-none"}${
      props.position_approximate ? " approx" : ""
    }`,
    html: "", // filled with textContent below, never with data as HTML
    iconSize: [26, 26],
    iconAnchor: [13, 13],
  });
}

export function locationPopup(props, { onQuery } = {}) {
  const box = el(
    "div",
    { class: "popup" },
    el("strong", { text: props.name }),
    el("div", { class: "muted", text: props.category_label }),
    props.address ? el("div", { text: `${props.address} ${props.postcode}`.trim() }) : null,
    props.position_approximate
      ? el("div", { class: "muted", text: "Position shown to the nearest 500 m." })
      : null,
    el("div", { text: `Concern: ${props.concern_label}` }),
    props.distance_m !== null && props.distance_m !== undefined
      ? el("div", { text: `Distance: ${metres(props.distance_m)}` })
      : null,
    el("a", { href: props.url, text: "Open location page" }),
  );
  if (onQuery) {
    box.append(" ", el("button", { type: "button", class: "small", text: "What is here?", onclick: onQuery }));
  }
  return box;
}

export function createLocationsLayer(map, config, { onQuery } = {}) {
  const group = L.markerClusterGroup({
    chunkedLoading: true,
    maxClusterRadius: 40,
    disableClusteringAtZoom: 17,
    spiderfyOnMaxZoom: false,
  });
  const status = el("p", { class: "muted layer-status", id: "locations-status" });
  let controller = null;

  async function refresh(filterParams) {
    if (controller) controller.abort();
    controller = new AbortController();
    const params = new URLSearchParams(filterParams);
    params.set("bbox", bboxParam(map));
    params.set("page_size", "5000");
    let data;
    try {
      data = await getJSON(config.urls.locations, params, { signal: controller.signal });
    } catch (err) {
      if (err.name !== "AbortError") status.textContent = `Locations: ${err.message}`;
      return;
    }
    group.clearLayers();
    const markers = data.features.map((f) => {
      const [lng, lat] = f.geometry.coordinates;
      const marker = L.marker([lat, lng], { icon: locationIcon(f.properties), title: f.properties.name });
      marker.on("add", () => {
        const node = marker.getElement();
        if (node) node.textContent = CATEGORY_MARK[f.properties.category] || "?";
      });
      marker.bindPopup(() =>
        locationPopup(f.properties, onQuery ? { onQuery: () => onQuery(L.latLng(lat, lng)) } : {}),
      );
      marker.feature = f;
      return marker;
    });
    group.addLayers(markers);
    status.textContent =
      data.count > data.features.length
        ? `Showing ${data.features.length} of ${data.count} locations here: zoom in for all.`
        : `${data.count} locations in view.`;
  }

  return { layer: group, refresh, status };
}
