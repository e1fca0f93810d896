// Exports: the chart as drawn (PNG, made in the browser from what was already
// shown) and its edge list as CSV through the logged export endpoint, which
// needs a reason of its own every time.
import { getBlob } from "../api.js";
import { downloadBlob, exportForm } from "../tools/results.js";
import { graphParams } from "./graph.js";

function fileStem(centre) {
  return `link-chart-${centre.replace(":", "-")}`;
}

export function createExports(cy, config, { getQuery }) {
  document.getElementById("export-png").addEventListener("click", async () => {
    const blob = await cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff" });
    downloadBlob(blob, `${fileStem(getQuery().centre)}.png`);
  });
  const box = document.getElementById("chart-export");
  if (!box) return;
  box.append(
    exportForm(async (reason) => {
      const params = graphParams(getQuery());
      params.set("justification", reason);
      downloadBlob(await getBlob(config.urls.graphCsv, params), `${fileStem(getQuery().centre)}.csv`);
    }),
  );
}
