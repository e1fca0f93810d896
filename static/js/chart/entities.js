// Chart entities: "<type>:<id>" references and the words used for them.

export const TYPES = ["location", "subject", "vehicle", "record", "driver", "operator"];
// Licensing's nodes (licensing/graph.py): shown beside a licensed vehicle,
// never a centre of their own.
export const LICENCE_TYPES = ["driver", "operator"];
const REF = /^(location|subject|vehicle|record):([1-9][0-9]{0,18})$/;

export const TYPE_LABELS = {
  location: "Location",
  subject: "Subject",
  vehicle: "Vehicle",
  record: "Record",
  driver: "Licensed driver",
  operator: "Private-hire operator",
};

export const LINK_LABELS = {
  resides: "resides at",
  frequents: "frequents",
  works_at: "works at",
  seen_at: "seen at",
  drives: "drives",
  owns: "owns",
  seen_in: "seen in",
  associate: "associate of",
  mentions: "mentions",
  licensed_driver: "licensed to driver",
  operates: "operator of",
};

export function parseRef(text) {
  const m = REF.exec(String(text || "").trim());
  return m ? { type: m[1], id: Number(m[2]), ref: `${m[1]}:${m[2]}` } : null;
}

export function linkLabel(type) {
  return LINK_LABELS[type] || String(type).replaceAll("_", " ");
}

// Subject kinds as the profile names them; other kinds read as they are.
const KIND_LABELS = {
  young_person: "young person at risk",
  person_of_interest: "person of interest",
  childrens_home: "children's home",
  bnb: "B&B / guest house",
};

export function kindLabel(kind, type = "") {
  if (!kind || kind === type) return "";
  return KIND_LABELS[kind] || String(kind).replaceAll("_", " ");
}

// A period as people say it: "2 Jan 2026 – 4 Mar 2026", or one date.
export function period(first, last) {
  const fmt = (d) =>
    d ? new Date(`${d}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : "";
  if (!first && !last) return "";
  if (!last || first === last) return fmt(first || last);
  return `${fmt(first)} – ${fmt(last)}`;
}
