// Talking to /api/v1/: JSON in and out, errors as messages a user can read.

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    super(ApiError.describe(status, body));
    this.status = status;
    this.body = body;
  }

  // DRF answers 400 with {field: [messages]}: say which field and why.
  static describe(status, body) {
    if (body && typeof body === "object") {
      if (body.detail) return String(body.detail);
      return Object.entries(body)
        .map(([field, msgs]) => `${field}: ${[].concat(msgs).join(" ")}`)
        .join("; ");
    }
    return `The server answered ${status}.`;
  }
}

export function withParams(url, params) {
  const u = new URL(url, window.location.origin);
  const pairs =
    params instanceof URLSearchParams || Array.isArray(params) ? params : Object.entries(params);
  for (const [k, v] of pairs) {
    if (v !== undefined && v !== null && v !== "") u.searchParams.append(k, v);
  }
  return u;
}

async function handle(resp) {
  const type = resp.headers.get("content-type") || "";
  const body = type.includes("json") ? await resp.json() : await resp.text();
  if (!resp.ok) throw new ApiError(resp.status, body);
  return body;
}

export async function getJSON(url, params = {}, { signal } = {}) {
  const resp = await fetch(withParams(url, params), {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
    signal,
  });
  return handle(resp);
}

export async function postJSON(url, body, params = {}) {
  const resp = await fetch(withParams(url, params), {
    method: "POST",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken(),
    },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  return handle(resp);
}

export async function getBlob(url, params = {}) {
  const resp = await fetch(withParams(url, params), { credentials: "same-origin" });
  if (!resp.ok) throw new ApiError(resp.status, await resp.json().catch(() => null));
  return resp.blob();
}

export async function postForBlob(url, body, params = {}) {
  const resp = await fetch(withParams(url, params), {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  if (!resp.ok) throw new ApiError(resp.status, await resp.json().catch(() => null));
  return resp.blob();
}

// A form post answered in JSON (the export confirmation, accounts/reauth.py).
export async function postForm(url, fields) {
  const resp = await fetch(url, {
    method: "POST",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
    body: new URLSearchParams(fields),
  });
  return handle(resp);
}
