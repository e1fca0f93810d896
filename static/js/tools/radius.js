// Radius tool: click a point (or "What is here?" on a location), see the
// circle and what lies within it; export the answer as CSV.
import { getBlob, getJSON } from "../api.js";
import { clear, showError } from "../dom.js";
import { listTheseLinks } from "../layers/selection.js";
import { askSessionReason, downloadBlob, showResults } from "./results.js";

export function createRadiusTool(map, config, { panel, getRecordParams }) {
  const button = document.getElementById("radius-tool");
  const select = document.getElementById("radius-m");
  const circleLayer = L.layerGroup().addTo(map);
  let armed = false;

  function arm(on) {
    armed = on;
    button.classList.toggle("active", on);
    button.setAttribute("aria-pressed", String(on));
    map.getContainer().classList.toggle("crosshair", on);
  }

  async function run(latlng) {
    arm(false);
    const radius = Number(select.value);
    map.closePopup();
    circleLayer.clearLayers();
    L.circle(latlng, { radius, color: "#1f4e9c", weight: 2, fillOpacity: 0.06, interactive: false, className: "radius-circle" }).addTo(
      circleLayer,
    );
    map.fitBounds(L.latLng(latlng).toBounds(radius * 2), { padding: [20, 20], animate: false });
    const params = new URLSearchParams(getRecordParams());
    for (const k of [...params.keys()]) if (!["since", "until"].includes(k)) params.delete(k);
    params.set("point", `${latlng.lng.toFixed(6)},${latlng.lat.toFixed(6)}`);
    params.set("radius", String(radius));
    try {
      const data = await getJSON(config.urls.queryRadius, params);
      showResults(panel, {
        title: `Within ${radius} m`,
        data,
        listThese: listTheseLinks(config, params),
        kinds: config.kinds,
        onExport: async (reason) => {
          const exportParams = [...params, ["export", "csv"], ["justification", reason]];
          downloadBlob(await getBlob(config.urls.queryRadius, exportParams), "what-is-here.csv");
        },
        onClose: () => {
          panel.hidden = true;
          circleLayer.clearLayers();
        },
      });
    } catch (err) {
      if (err.status === 428) {
        askSessionReason(panel, config, { onDone: () => run(latlng) });
        return;
      }
      clear(panel).hidden = false;
      showError(panel, err.message);
    }
  }

  if (button) {
    button.addEventListener("click", () => arm(!armed));
    map.on("click", (e) => {
      if (armed) run(e.latlng);
    });
  }
  return { run };
}
