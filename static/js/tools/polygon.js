// Polygon tool: draw an area (Leaflet.draw) and ask what is inside it.
import { postForBlob, postJSON } from "../api.js";
import { clear, showError } from "../dom.js";
import { listTheseLinks } from "../layers/selection.js";
import { askSessionReason, downloadBlob, showResults } from "./results.js";

export function createPolygonTool(map, config, { panel, getRecordParams }) {
  const button = document.getElementById("polygon-tool");
  if (!button) return null;
  const drawn = L.featureGroup().addTo(map);
  const drawer = new L.Draw.Polygon(map, {
    allowIntersection: false,
    showArea: false,
    shapeOptions: { color: "#6a1b9a", weight: 2, fillOpacity: 0.08 },
  });

  async function query(layer) {
    const rp = getRecordParams();
    const body = { polygon: layer.toGeoJSON().geometry, since: rp.get("since"), until: rp.get("until") };
    try {
      const data = await postJSON(config.urls.queryArea, body);
      showResults(panel, {
        title: "Inside the drawn area",
        data,
        listThese: listTheseLinks(
          config,
          new URLSearchParams({ polygon: JSON.stringify(body.polygon), since: body.since, until: body.until }),
        ),
        kinds: config.kinds,
        onExport: async (reason) => {
          const exportBody = { ...body, justification: reason };
          downloadBlob(await postForBlob(config.urls.queryArea, exportBody, { export: "csv" }), "what-is-here.csv");
        },
        onClose: () => {
          panel.hidden = true;
          drawn.clearLayers();
        },
      });
    } catch (err) {
      if (err.status === 428) {
        askSessionReason(panel, config, { onDone: () => query(layer) });
        return;
      }
      clear(panel).hidden = false;
      showError(panel, err.message);
    }
  }

  map.on(L.Draw.Event.CREATED, (e) => {
    drawn.clearLayers().addLayer(e.layer);
    query(e.layer);
  });
  button.addEventListener("click", () => drawer.enable());
  return { query };
}
