// Small DOM and formatting helpers. Everything from the lattice is set as text, never as HTML.

/** Creates an element: h("td", {class: "x", dataset: {id: "1"}}, "text", child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** "NABCDEFGH…" — enough of a key to tell it apart; the full key is in the title. */
export function short(key) {
  if (!key) return "";
  return key.length > 12 ? key.slice(0, 10) + "…" : key;
}

/** A key shown short, with the full value as a tooltip and for copying. */
export function keyEl(key) {
  return h("code", { class: "key", title: key }, short(key));
}

export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  if (d > 0) return `${d}d ${hh}h`;
  if (hh > 0) return `${hh}h ${m}m`;
  if (m > 0) return `${m}m ${ss}s`;
  return `${ss}s`;
}

export function time(date) {
  return date.toLocaleTimeString([], { hour12: false });
}

/** "k=v, k=v" or a mapping; empty input → {}. Throws Error naming the bad entry. */
export function parsePairs(text, what) {
  const out = {};
  for (const part of (text || "").split(/[,\n]/)) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf("=");
    if (eq <= 0) throw new Error(`${what}: '${p}' is not KEY=VALUE`);
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return out;
}

export function pairs(map) {
  const entries = Object.entries(map || {});
  if (entries.length === 0) return h("span", { class: "muted" }, "none");
  return h(
    "ul",
    { class: "pairs" },
    entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => h("li", {}, h("code", {}, `${k}=${v}`))),
  );
}
