// The filter panel <-> the URL, so a view can be bookmarked and shared.

const DAY = 86400000;

function isoDate(d) {
  return d.toISOString().slice(0, 10);
}

export function readFilters(form) {
  const period = form.querySelector("#f-period").value;
  let since, until;
  if (period === "custom") {
    since = form.querySelector("#f-since").value;
    until = form.querySelector("#f-until").value;
  } else {
    const end = new Date();
    until = isoDate(end);
    since = isoDate(new Date(end.getTime() - Number(period) * DAY));
  }
  return {
    period,
    since,
    until,
    kind: form.querySelector("#f-kind").value,
    min_grade: form.querySelector("#f-grade").value,
    tag: [...form.querySelector("#f-tags").selectedOptions].map((o) => o.value),
    category: [...form.querySelectorAll("#f-categories input:checked")].map((i) => i.value),
    flagged: form.querySelector("#f-flagged").checked,
  };
}

// Record filters as the API takes them.
export function recordParams(f) {
  const p = new URLSearchParams();
  if (f.since) p.set("since", f.since);
  if (f.until) p.set("until", f.until);
  if (f.kind) p.set("kind", f.kind);
  if (f.min_grade) p.set("min_grade", f.min_grade);
  for (const t of f.tag) p.append("tag", t);
  return p;
}

export function locationParams(f) {
  const p = new URLSearchParams();
  for (const c of f.category) p.append("category", c);
  if (f.flagged) p.set("flagged", "true");
  return p;
}

export function writeURL(f, map, layers) {
  const p = new URLSearchParams();
  p.set("period", f.period);
  if (f.period === "custom") {
    p.set("since", f.since);
    p.set("until", f.until);
  }
  if (f.kind) p.set("kind", f.kind);
  if (f.min_grade) p.set("min_grade", f.min_grade);
  for (const t of f.tag) p.append("tag", t);
  for (const c of f.category) p.append("category", c);
  if (f.flagged) p.set("flagged", "true");
  p.set("layers", layers.join(","));
  const c = map.getCenter();
  p.set("at", `${map.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
  history.replaceState(null, "", `${location.pathname}?${p}`);
}

// Put the filters from the URL into the form; returns the view and layers.
export function applyURL(form) {
  const p = new URLSearchParams(location.search);
  const set = (sel, v) => {
    if (v !== null) form.querySelector(sel).value = v;
  };
  set("#f-period", p.get("period"));
  set("#f-since", p.get("since"));
  set("#f-until", p.get("until"));
  set("#f-kind", p.get("kind"));
  set("#f-grade", p.get("min_grade"));
  const tags = new Set(p.getAll("tag"));
  for (const o of form.querySelector("#f-tags").options) o.selected = tags.has(o.value);
  const cats = new Set(p.getAll("category"));
  for (const i of form.querySelectorAll("#f-categories input")) i.checked = cats.has(i.value);
  form.querySelector("#f-flagged").checked = p.get("flagged") === "true";
  form.querySelector("#f-custom").hidden = form.querySelector("#f-period").value !== "custom";
  let view = null;
  const at = (p.get("at") || "").split("/").map(Number);
  if (at.length === 3 && at.every(Number.isFinite)) view = { zoom: at[0], center: [at[1], at[2]] };
  const layers = p.has("layers") ? p.get("layers").split(",").filter(Boolean) : null;
  return { view, layers };
}

export function bboxParam(map) {
  return map.getBounds().toBBoxString();
}
