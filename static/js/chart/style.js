// How the chart looks: nodes by type (a young person at risk and a person of
// interest each distinct), edges by link type and confidence. Colours follow
// the map's: blue-grey places, red for a person of interest.

export const NODE_COLOURS = {
  location: "#37474f",
  protected: "#00796b",
  young: "#2e7d32",
  poi: "#c62828",
  subject: "#ef6c00",
  vehicle: "#6a1b9a",
  record: "#90a4ae",
  driver: "#4a148c",
  operator: "#455a64",
};

export const EDGE_COLOURS = {
  place: "#1f4e9c",
  vehicle: "#6a1b9a",
  associate: "#ef6c00",
  mentions: "#90a4ae",
  licence: "#4a148c",
};

const PLACE_LINKS = ["resides", "frequents", "works_at", "seen_at"];
const VEHICLE_LINKS = ["drives", "owns", "seen_in"];
const PROTECTED = ["childrens_home", "school", "residential_concern"];

// The class names a node or edge gets from its JSON: the stylesheet keys on them.
export function nodeClasses(node) {
  const kind = String(node.kind || "");
  const classes = [node.type];
  if (node.type === "subject") {
    if (kind.includes("young")) classes.push("young");
    else if (kind.includes("interest") || kind === "poi") classes.push("poi");
  }
  if (node.type === "location" && PROTECTED.includes(kind)) classes.push("protected");
  if (node.hops === 0) classes.push("centre");
  return classes.join(" ");
}

export function edgeClasses(edge) {
  const group = PLACE_LINKS.includes(edge.type)
    ? "place"
    : VEHICLE_LINKS.includes(edge.type)
      ? "vehicle"
      : edge.type === "associate"
        ? "associate"
        : ["licensed_driver", "operates"].includes(edge.type)
          ? "licence"
          : "mentions";
  return `${group} conf-${edge.confidence || "low"}`;
}

export const stylesheet = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-family": "system-ui, DejaVu Sans, sans-serif",
      "font-size": 11,
      color: "#1d2330",
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 2,
      "text-background-shape": "roundrectangle",
      "text-wrap": "ellipsis",
      "text-max-width": 200,
      width: 30,
      height: 30,
      "border-width": 2,
      "border-color": "#ffffff",
      "background-color": NODE_COLOURS.location,
      "overlay-padding": 4,
      // Zoomed far out, labels too small to read are not drawn at all.
      "min-zoomed-font-size": 7,
    },
  },
  {
    selector: "node.location",
    style: { shape: "round-rectangle", width: 34, height: 28, "background-color": NODE_COLOURS.location },
  },
  { selector: "node[icon]", style: { "background-image": "data(icon)", "background-fit": "none", "background-clip": "none" } },
  { selector: "node.location.protected", style: { "background-color": NODE_COLOURS.protected } },
  { selector: "node.subject", style: { shape: "ellipse", "background-color": NODE_COLOURS.subject } },
  {
    selector: "node.subject.poi",
    style: { shape: "octagon", width: 34, height: 34, "background-color": NODE_COLOURS.poi },
  },
  {
    selector: "node.subject.young",
    style: {
      "background-color": NODE_COLOURS.young,
      "border-color": "#a5d6a7",
      "border-width": 4,
    },
  },
  {
    selector: "node.vehicle",
    style: { shape: "round-tag", width: 34, height: 24, "background-color": NODE_COLOURS.vehicle },
  },
  {
    selector: "node.record",
    style: { shape: "rectangle", width: 20, height: 24, "background-color": NODE_COLOURS.record, "font-size": 9 },
  },
  {
    selector: "node.driver",
    style: { shape: "ellipse", width: 26, height: 26, "background-color": NODE_COLOURS.driver, "border-width": 3, "border-color": "#d1c4e9" },
  },
  {
    selector: "node.operator",
    style: { shape: "hexagon", width: 30, height: 26, "background-color": NODE_COLOURS.operator },
  },
  {
    selector: "node.centre",
    style: { "border-width": 4, "border-color": "#f9a825", "font-weight": 700 },
  },
  {
    selector: "node:selected",
    style: { "border-width": 4, "border-color": "#1f4e9c", "underlay-color": "#1f4e9c", "underlay-opacity": 0.18, "underlay-padding": 6 },
  },
  { selector: "node.expanded", style: { "border-style": "double", "border-width": 5 } },
  { selector: "node.endpoint", style: { "border-width": 5, "border-color": "#d81b60" } },
  {
    selector: "edge",
    style: {
      "curve-style": "bezier",
      width: 2,
      "line-color": EDGE_COLOURS.mentions,
      "target-arrow-color": EDGE_COLOURS.mentions,
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      label: "data(label)",
      "font-size": 9,
      color: "#5b6475",
      "text-rotation": "autorotate",
      "text-background-color": "#f6f7f9",
      "text-background-opacity": 0.9,
      "text-background-padding": 1,
      "text-events": "no",
      "min-zoomed-font-size": 8,
    },
  },
  { selector: "edge.place", style: { "line-color": EDGE_COLOURS.place, "target-arrow-color": EDGE_COLOURS.place } },
  { selector: "edge.vehicle", style: { "line-color": EDGE_COLOURS.vehicle, "target-arrow-color": EDGE_COLOURS.vehicle } },
  { selector: "edge.licence", style: { "line-color": EDGE_COLOURS.licence, "target-arrow-color": EDGE_COLOURS.licence, "line-style": "dashed" } },
  {
    selector: "edge.associate",
    style: { "line-color": EDGE_COLOURS.associate, "target-arrow-shape": "none" },
  },
  { selector: "edge.mentions", style: { "line-style": "dotted", "target-arrow-shape": "none", label: "" } },
  // Confidence, from the grades of the records a link rests on.
  { selector: "edge.conf-high", style: { width: 4 } },
  { selector: "edge.conf-medium", style: { width: 2.5 } },
  { selector: "edge.conf-low", style: { width: 1.5, "line-style": "dashed", "line-dash-pattern": [6, 4] } },
  // A record naming something: drawn lighter, whatever its confidence.
  { selector: "edge.mentions", style: { width: 1.5, "line-style": "dotted", "line-dash-pattern": [2, 3] } },
  { selector: "edge.mentions.conf-high", style: { width: 2.5 } },
  { selector: "edge:selected", style: { "overlay-color": "#1f4e9c", "overlay-opacity": 0.15 } },
  // "How are these connected?": the paths stand out, the rest steps back.
  { selector: ".faded", style: { opacity: 0.18 } },
  {
    selector: "edge.on-path",
    style: { "line-color": "#d81b60", "target-arrow-color": "#d81b60", "line-style": "solid", width: 5, opacity: 1, "z-index": 10 },
  },
  { selector: "node.on-path", style: { opacity: 1, "border-color": "#d81b60", "border-width": 4 } },
];
