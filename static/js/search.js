// Search by name, address or postcode; choosing a result flies to it.
import { getJSON } from "./api.js";
import { clear, el } from "./dom.js";

export function createSearch(map, config, { onPick }) {
  const form = document.getElementById("search");
  const input = document.getElementById("search-q");
  const list = document.getElementById("search-results");

  function pick(f) {
    const [lng, lat] = f.geometry.coordinates;
    map.flyTo([lat, lng], Math.max(map.getZoom(), 17), { duration: 0.6 });
    clear(list);
    onPick?.(f, L.latLng(lat, lng));
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clear(list);
    const q = input.value.trim();
    if (!q) return;
    try {
      const data = await getJSON(config.urls.locations, { q, page_size: 10 });
      if (!data.features.length) {
        list.append(el("li", { class: "muted", text: "Nothing found." }));
        return;
      }
      if (data.features.length === 1) {
        pick(data.features[0]);
        return;
      }
      for (const f of data.features) {
        list.append(
          el(
            "li",
            {},
            el("button", {
              type: "button",
              class: "linkish",
              text: `${f.properties.name} · ${f.properties.postcode || f.properties.category_label}`,
              onclick: () => pick(f),
            }),
          ),
        );
      }
    } catch (err) {
      list.append(el("li", { class: "error", text: err.message }));
    }
  });
}
