// A subject's or vehicle's places on the map: its linked locations (directly,
// or through a record that names both), numbered and joined by a line in the
// order they were first seen. Built from the graph API, so a role sees only
// the links it may; positions come from each location's own API answer (a
// protected place stays on its 500 m grid).
import { getJSON } from "../api.js";
import { clear, el } from "../dom.js";
import { linkLabel, period } from "../chart/entities.js";

const TRACK = "#d81b60";

// Each sighting: a location, when, and how it is linked. One location may be
// seen many times; the line visits it each time, in date order.
export function sightings(graph, centre) {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const other = (e, id) => (e.source === id ? e.target : e.target === id ? e.source : null);
  const records = new Set();
  const out = [];
  for (const e of graph.edges) {
    const end = other(e, centre);
    if (!end) continue;
    if (nodes.get(end)?.type === "location") {
      out.push({ location: end, date: e.first_seen || e.last_seen, last: e.last_seen, how: linkLabel(e.type) });
    } else if (nodes.get(end)?.type === "record") {
      records.add(end);
    }
  }
  for (const e of graph.edges) {
    for (const r of records) {
      const end = other(e, r);
      if (end && nodes.get(end)?.type === "location") {
        out.push({ location: end, date: e.first_seen || e.last_seen, last: e.last_seen, how: `named with it in ${nodes.get(r).label}` });
      }
    }
  }
  // Undated links go last, in a stable order.
  return out.sort((a, b) => (a.date || "9999").localeCompare(b.date || "9999") || a.location.localeCompare(b.location));
}

function numberIcon() {
  return L.divIcon({ className: "track-stop", html: "", iconSize: [22, 22], iconAnchor: [11, 11] });
}

export function createLinkTrack(map, config, { container }) {
  const layer = L.featureGroup().addTo(map);
  const box = el("section", { class: "link-track", id: "link-track", hidden: true, "aria-live": "polite" });
  container.prepend(box);

  function close() {
    layer.clearLayers();
    clear(box).hidden = true;
  }

  async function show(node) {
    layer.clearLayers();
    clear(box).hidden = false;
    box.append(el("p", { class: "muted", text: `Finding the places linked to ${node.label || node.id}…` }));
    let graph;
    try {
      graph = await getJSON(config.urls.linkGraph, { centre: node.id, hops: 2 });
    } catch (err) {
      clear(box).append(el("p", { class: "error", role: "alert", text: err.message }));
      return;
    }
    // Opened from an address (?track=vehicle:7), the label comes with the graph.
    node = { ...node, label: node.label || graph.nodes.find((n) => n.id === node.id)?.label || node.id };
    const seen = sightings(graph, node.id);
    const ids = [...new Set(seen.map((s) => s.location))];
    const places = new Map();
    await Promise.all(
      ids.map(async (ref) => {
        try {
          const f = await getJSON(config.urls.locationDetail.replace("{id}", ref.split(":")[1]));
          places.set(ref, f);
        } catch {
          // A place the role may not open is left off the track.
        }
      }),
    );
    const stops = seen.filter((s) => places.has(s.location));
    const order = [...new Set(stops.map((s) => s.location))];
    const line = stops.map((s) => {
      const [lng, lat] = places.get(s.location).geometry.coordinates;
      return [lat, lng];
    });
    if (line.length > 1) {
      L.polyline(line, { color: TRACK, weight: 3, opacity: 0.85, dashArray: "8 6", className: "track-line" }).addTo(layer);
    }
    order.forEach((ref, i) => {
      const f = places.get(ref);
      const [lng, lat] = f.geometry.coordinates;
      const visits = stops.filter((s) => s.location === ref);
      const mk = L.marker([lat, lng], { icon: numberIcon(), title: f.properties.name, zIndexOffset: 1000 });
      mk.on("add", () => {
        const n = mk.getElement();
        if (n) n.textContent = String(i + 1);
      });
      mk.bindPopup(
        el(
          "div",
          { class: "popup" },
          el("strong", { text: f.properties.name }),
          el("div", { class: "muted", text: f.properties.category_label }),
          ...visits.map((v) => el("div", { text: `${node.label} ${v.how}${v.date ? `: ${period(v.date, v.last)}` : ""}` })),
          el("a", { href: f.properties.url, text: "Open location page" }),
        ),
      );
      // Each stop named beside it, so the order reads without a click.
      mk.bindTooltip(el("span", { text: `${i + 1}. ${f.properties.name}${visits[0].date ? ` · ${period(visits[0].date)}` : ""}` }), {
        permanent: true,
        direction: "auto",
        offset: [12, 0],
        className: "track-label",
      });
      mk.addTo(layer);
    });
    clear(box).append(
      el(
        "header",
        { class: "row spread" },
        el("h2", { text: `Places linked to ${node.label}` }),
        el("button", { type: "button", class: "small secondary", text: "Close", onclick: close }),
      ),
      order.length
        ? el(
            "ol",
            { class: "result-list", id: "track-places" },
            order.map((ref) => {
              const first = stops.find((s) => s.location === ref);
              return el("li", {}, el("a", { href: places.get(ref).properties.url, text: places.get(ref).properties.name }), el("span", { class: "muted", text: ` ${first.how}${first.date ? ` · ${period(first.date)}` : ""}` }));
            }),
          )
        : el("p", { class: "muted", text: "No linked places your role may see." }),
      el("p", {}, el("a", { href: `${config.urls.linkChart}?centre=${encodeURIComponent(node.id)}`, text: "Open its link chart" })),
    );
    if (line.length) map.fitBounds(layer.getBounds(), { padding: [80, 80], maxZoom: 16, animate: false });
    map.getContainer().dataset.track = String(order.length);
  }

  return { layer, show, close };
}
