// The chart's data: the graph API's JSON turned into Cytoscape elements, and
// merged into the chart as nodes are expanded. Only what the server sent is
// drawn; nothing is inferred in the browser.
import { getJSON } from "../api.js";
import { CATEGORY_MARK } from "../categories.js";
import { linkLabel } from "./entities.js";
import { edgeClasses, nodeClasses } from "./style.js";

export function graphParams({ centre, hops, filters }) {
  const params = new URLSearchParams();
  params.set("centre", centre);
  if (hops) params.set("hops", String(hops));
  if (filters.since) params.set("since", filters.since);
  if (filters.until) params.set("until", filters.until);
  if (filters.minGrade) params.set("min_grade", filters.minGrade);
  if (filters.linkTypes?.length) params.set("link_types", filters.linkTypes.join(","));
  return params;
}

export function fetchGraph(config, query) {
  return getJSON(config.urls.graph, graphParams(query));
}

export function fetchPaths(config, { from, to, maxHops }) {
  return getJSON(config.urls.path, { from, to, max_hops: maxHops });
}

// The category's letter, white on the node, as the map marks it. An image
// made here from a fixed table: no server text goes into it.
function letterIcon(letter) {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="34" height="28">` +
    `<text x="17" y="19" font-family="sans-serif" font-size="12" font-weight="700" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

function nodeElement(node) {
  const letter = node.type === "location" && CATEGORY_MARK[node.kind];
  return {
    group: "nodes",
    data: {
      id: node.id,
      label: node.label,
      type: node.type,
      kind: node.kind || "",
      url: node.url || null,
      hops: node.hops,
      ...(letter ? { icon: letterIcon(letter) } : {}),
    },
    classes: nodeClasses(node),
  };
}

function edgeElement(edge) {
  return {
    group: "edges",
    data: {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: edge.type,
      label: linkLabel(edge.type),
      confidence: edge.confidence,
      records: edge.records || [],
      first_seen: edge.first_seen || null,
      last_seen: edge.last_seen || null,
    },
    classes: edgeClasses(edge),
  };
}

// Adds what is new; a node already drawn keeps its place. New nodes start
// around `near` (the node being expanded) so the layout moves them least.
export function mergeGraph(cy, { nodes = [], edges = [] }, { near = null } = {}) {
  const origin = near && cy.getElementById(near).nonempty() ? cy.getElementById(near).position() : null;
  const fresh = nodes.filter((n) => cy.getElementById(n.id).empty());
  const added = cy.collection();
  cy.batch(() => {
    fresh.forEach((n, i) => {
      const el = nodeElement(n);
      if (origin) {
        const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
        el.position = { x: origin.x + 110 * Math.cos(angle), y: origin.y + 110 * Math.sin(angle) };
      }
      added.merge(cy.add(el));
    });
    for (const e of edges) {
      if (cy.getElementById(e.id).nonempty()) continue;
      // An edge to a node the server did not send is not drawn.
      if (cy.getElementById(e.source).empty() || cy.getElementById(e.target).empty()) continue;
      added.merge(cy.add(edgeElement(e)));
    }
  });
  return added;
}

// The records an edge rests on, named as the chart knows them.
export function recordNames(cy, ids) {
  return ids.map((id) => {
    const node = cy.getElementById(`record:${id}`);
    return { id, label: node.nonempty() ? node.data("label") : `Record ${id}` };
  });
}
