// The hot-spots page's live map: the Gi* cells for the page's settings on the
// map django-leaflet creates.
import { createHotspotLayer } from "./hotspots-layer.js";

const config = JSON.parse(document.getElementById("hotspot-config").textContent);

window.addEventListener("map:init", async (e) => {
  const map = e.detail.map;
  const hotspots = createHotspotLayer(map, config);
  map.addLayer(hotspots.layer);
  const params = new URLSearchParams(config.params);
  try {
    await hotspots.refresh(params);
    const bounds = hotspots.layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
  } finally {
    map.getContainer().dataset.ready = "true";
  }
});
