// The link chart page: a network of places, people, vehicles and records
// around one entity, drawn with Cytoscape.js from the graph API. Expand a node
// by one hop, filter, hide, pin, export, and ask how two entities connect.
import { clear, el, showError } from "./dom.js";
import { createExports } from "./chart/export.js";
import { fetchGraph, mergeGraph } from "./chart/graph.js";
import { createNodeList } from "./chart/nodelist.js";
import { showEdge, showHint, showNode, suppressedNotes } from "./chart/panel.js";
import { createPaths } from "./chart/paths.js";
import { stylesheet } from "./chart/style.js";
import { askSessionReason } from "./tools/results.js";

/* global cytoscape, cytoscapeFcose */
const config = JSON.parse(document.getElementById("chart-config").textContent);
if (typeof cytoscapeFcose === "function") cytoscape.use(cytoscapeFcose);
const LAYOUT = typeof cytoscapeFcose === "function"
  ? { name: "fcose", quality: "proof", randomize: false, animate: false, nodeRepulsion: 30000, idealEdgeLength: 130, edgeElasticity: 0.3, nodeSeparation: 120, padding: 40 }
  : { name: "cose", randomize: false, animate: false, idealEdgeLength: 100, nodeRepulsion: 400000, padding: 40 };

const container = document.getElementById("chart");
const panel = document.getElementById("selected");
const status = document.getElementById("chart-status");
const notes = document.getElementById("chart-suppressed");
const filters = document.getElementById("chart-filters");
const pin = document.getElementById("pin-layout");

const cy = cytoscape({
  container,
  style: stylesheet,
  minZoom: 0.15,
  maxZoom: 3,
  boxSelectionEnabled: false,
});
cy.style().selector(".hidden-node").style({ display: "none" }).update();

const state = {
  centre: config.centre,
  expanded: new Set(),
  hidden: new Set(),
  suppressed: new Map(),
  pinned: false,
  truncated: false,
  generation: 0,
};

function readFilters() {
  const data = new FormData(filters);
  return {
    hops: data.get("hops") || "1",
    since: data.get("since") || "",
    until: data.get("until") || "",
    minGrade: data.get("min_grade") || "",
    linkTypes: data.getAll("link_types"),
  };
}

function query() {
  const f = readFilters();
  return { centre: state.centre, hops: f.hops, filters: f };
}

// The chart's address says what it shows, so it can be shared or reopened.
function writeURL() {
  const f = readFilters();
  const params = new URLSearchParams({ centre: state.centre, hops: f.hops });
  if (f.since) params.set("since", f.since);
  if (f.until) params.set("until", f.until);
  if (f.minGrade) params.set("min_grade", f.minGrade);
  if (f.linkTypes.length && f.linkTypes.length < config.linkTypes.length) params.set("link_types", f.linkTypes.join(","));
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

function applyURL() {
  const params = new URLSearchParams(location.search);
  for (const name of ["hops", "since", "until", "min_grade"]) {
    const value = params.get(name);
    if (value && filters.elements[name]) filters.elements[name].value = value;
  }
  const types = params.get("link_types");
  if (types) {
    const wanted = new Set(types.split(","));
    for (const box of filters.querySelectorAll("input[name=link_types]")) box.checked = wanted.has(box.value);
  }
}

// A few nodes fitted to the whole canvas would be drawn huge: no closer than this.
const MAX_FIT_ZOOM = 1.25;

function fitView() {
  cy.fit(cy.nodes().not(".hidden-node"), 40);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center(cy.nodes().not(".hidden-node"));
  }
}

// Proof quality reads best; past a couple of hundred nodes it costs seconds.
const PROOF_MAX_NODES = 200;

function runLayout(options = {}) {
  const quality = cy.nodes().length > PROOF_MAX_NODES ? "default" : LAYOUT.quality;
  const layout = cy.elements().not(".hidden-node").layout({ ...LAYOUT, quality, ...options, fit: false });
  layout.one("layoutstop", fitView);
  layout.run();
}

function relayout() {
  if (state.pinned || cy.nodes().length < 2) {
    fitView();
    return;
  }
  runLayout();
}

// The list and the counts, drawn before the chart says it is ready.
function showStatus() {
  nodeList.render();
  const nodes = cy.nodes().not(".hidden-node").length;
  const edges = cy.edges().filter((e) => e.visible()).length;
  clear(status);
  status.append(`${nodes} node${nodes === 1 ? "" : "s"}, ${edges} link${edges === 1 ? "" : "s"}`);
  if (state.hidden.size) {
    status.append(
      ` · ${state.hidden.size} hidden `,
      el("button", { type: "button", class: "small secondary", id: "show-hidden", text: "Show all", onclick: showAll }),
    );
  }
  if (state.truncated) status.append(" · the chart was cut at its size limit: narrow the period, grade or link types");
  clear(notes);
  for (const text of suppressedNotes(state.suppressed.get(state.centre))) notes.append(el("p", { class: "suppressed", text }));
}

function nameCentre() {
  const node = cy.getElementById(state.centre);
  if (node.empty()) return;
  document.getElementById("chart-centre").textContent = node.data("label");
  document.title = `Link chart · ${node.data("label")} · Intel Map`;
}

function needReason(retry) {
  askSessionReason(panel, config, { onDone: retry });
}

function failed(err, retry) {
  if (err.status === 428) {
    needReason(retry);
    return;
  }
  clear(panel);
  // A centre the role may not see answers as a missing one does.
  showError(panel, err.status === 404 ? "There is no such entity, or none your role may see." : err.message);
  container.dataset.ready = "true";
}

async function load() {
  // Filters changed twice quickly: only the latest answer is drawn.
  const generation = ++state.generation;
  const stale = () => generation !== state.generation;
  container.dataset.ready = "false";
  writeURL();
  const positions = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
  const q = query();
  let data;
  try {
    data = await fetchGraph(config, q);
  } catch (err) {
    if (stale()) return;
    failed(err, load);
    container.dataset.ready = "true";
    return;
  }
  if (stale()) return;
  cy.elements().remove();
  state.suppressed.clear();
  mergeGraph(cy, data);
  state.suppressed.set(state.centre, data.suppressed);
  state.truncated = Boolean(data.truncated);
  nameCentre();
  // Nodes expanded before a filter changed are expanded again under it.
  for (const id of state.expanded) {
    if (cy.getElementById(id).empty()) continue;
    try {
      const more = await fetchGraph(config, { ...q, centre: id, hops: 1 });
      if (stale()) return;
      mergeGraph(cy, more, { near: id });
      state.suppressed.set(id, more.suppressed);
      cy.getElementById(id).addClass("expanded");
    } catch (err) {
      failed(err, load);
    }
  }
  for (const [id, pos] of positions) {
    const n = cy.getElementById(id);
    if (n.nonempty()) n.position(pos);
  }
  for (const id of state.hidden) cy.getElementById(id).addClass("hidden-node");
  if (state.pinned && positions.size) fitView();
  else runLayout({ randomize: positions.size === 0 });
  showStatus();
  showHint(panel, { countsOnly: config.countsOnly });
  container.dataset.ready = "true";
}

async function expand(id) {
  const node = cy.getElementById(id);
  if (node.empty() || node.hasClass("expanded")) return;
  container.dataset.ready = "false";
  try {
    const data = await fetchGraph(config, { ...query(), centre: id, hops: 1 });
    const added = mergeGraph(cy, data, { near: id });
    state.expanded.add(id);
    state.suppressed.set(id, data.suppressed);
    node.addClass("expanded");
    if (added.nonempty()) relayout();
    showStatus();
    select(id);
  } catch (err) {
    failed(err, () => expand(id));
  }
  container.dataset.ready = "true";
}

function hide(id) {
  state.hidden.add(id);
  cy.getElementById(id).addClass("hidden-node").unselect();
  showStatus();
  showHint(panel, { countsOnly: config.countsOnly });
}

function showAll() {
  state.hidden.clear();
  cy.nodes().removeClass("hidden-node");
  showStatus();
}

const actions = {
  expand: config.countsOnly ? null : expand,
  hide,
  pathEnd: config.countsOnly ? null : (which, id) => paths.setEnd(which, id),
  suppressedFor: (id) => (id === state.centre ? null : state.suppressed.get(id)),
};

function select(id) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  cy.elements().unselect();
  node.select();
  if (!node.visible()) return;
  // Brought into view only when it is out of it: the chart stays put.
  const { x, y } = node.renderedPosition();
  if (x < 0 || y < 0 || x > cy.width() || y > cy.height()) cy.animate({ center: { eles: node } }, { duration: 200 });
  showNode(panel, cy, config, node, actions);
}

// Roles that see counts only get neither paths nor the edge list.
const paths = config.countsOnly ? null : createPaths(cy, config, { onNeedReason: needReason, relayout });
const nodeList = createNodeList(cy, { onPick: select });
createExports(cy, config, { getQuery: query });

cy.on("tap", "node", (e) => showNode(panel, cy, config, e.target, actions));
cy.on("tap", "edge", (e) => showEdge(panel, cy, config, e.target));
cy.on("tap", (e) => {
  if (e.target === cy) showHint(panel, { countsOnly: config.countsOnly });
});
cy.on("dbltap", "node", (e) => actions.expand?.(e.target.id()));

pin.addEventListener("click", () => {
  state.pinned = !state.pinned;
  pin.setAttribute("aria-pressed", String(state.pinned));
  pin.classList.toggle("active", state.pinned);
  pin.textContent = state.pinned ? "Layout pinned" : "Pin layout";
});
document.getElementById("relayout").addEventListener("click", () => {
  runLayout({ randomize: true });
});
document.getElementById("fit").addEventListener("click", fitView);
filters.addEventListener("submit", (e) => {
  e.preventDefault();
  load();
});
filters.addEventListener("change", () => load());

applyURL();
load();
