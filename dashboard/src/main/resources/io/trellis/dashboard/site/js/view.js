// Renders the state into the page. Tables are updated row by row (keyed), so a row the user is
// working in (focus, a half-typed number) survives updates of other rows.
import { duration, fill, h, keyEl, pairs, short } from "./dom.js";

/** Keeps tbody's rows in the order of items, rebuilding only rows whose signature changed. */
export function syncRows(tbody, items, key, sig, build) {
  const existing = new Map([...tbody.children].map((tr) => [tr.dataset.key, tr]));
  let prev = null;
  for (const item of items) {
    const k = key(item);
    const s = sig(item);
    let tr = existing.get(k);
    existing.delete(k);
    if (!tr || tr.dataset.sig !== s) {
      const fresh = build(item);
      fresh.dataset.key = k;
      fresh.dataset.sig = s;
      if (tr) tr.replaceWith(fresh);
      tr = fresh;
    }
    const want = prev ? prev.nextSibling : tbody.firstChild;
    if (want !== tr) tbody.insertBefore(tr, want);
    prev = tr;
  }
  for (const tr of existing.values()) tr.remove();
}

function empty(section, isEmpty) {
  document.querySelector(`#${section} .empty`).hidden = !isEmpty;
  document.querySelector(`#${section} .table-wrap`).hidden = isEmpty;
}

function count(section, n) {
  fill(document.getElementById(`count-${section}`), String(n));
}

function hostCell(row) {
  return h("td", { "data-label": "Host" }, row.hostName ? h("span", {}, row.hostName, " ") : null,
    keyEl(row.hostId), row.hostState === "stale" ? h("span", { class: "badge stale" }, "stale") : null);
}

export function renderHosts(state, now) {
  const hosts = [...state.hosts.values()].sort((a, b) => (a.friendlyName || a.id).localeCompare(b.friendlyName || b.id));
  count("hosts", hosts.length);
  empty("hosts", hosts.length === 0);
  syncRows(document.getElementById("hosts-body"), hosts, (x) => x.id,
    (x) => JSON.stringify([x.state, x.labels, x.version, x.friendlyName, inventorySig(state, x.id)]),
    (x) => {
      const inv = state.inventories.get(x.id);
      const actors = (inv?.actors || []).reduce((n, a) => n + (a.instances || []).length, 0);
      return h("tr", { dataset: { hostId: x.id, state: x.state }, class: x.state },
        h("th", { scope: "row", "data-label": "Host" }, h("span", { class: "name" }, x.friendlyName || ""), " ", keyEl(x.id)),
        h("td", { "data-label": "State" }, h("span", { class: `badge ${x.state}` }, x.state)),
        h("td", { "data-label": "Labels" }, pairs(x.labels)),
        h("td", { "data-label": "Version" }, x.version || ""),
        h("td", { "data-label": "Uptime", class: "uptime", dataset: { uptimeHost: x.id } }, uptimeText(x, now)),
        h("td", { "data-label": "Actors" }, inv ? String(actors) : "…"),
        h("td", { "data-label": "Providers" }, inv ? String((inv.providers || []).length) : "…"));
    });
}

function inventorySig(state, hostId) {
  const inv = state.inventories.get(hostId);
  return inv ? [(inv.actors || []).map((a) => [a.id, (a.instances || []).length]), (inv.providers || []).length] : null;
}

export function uptimeText(host, now) {
  if (host.state === "stale") return `last heard ${duration((now - host.lastSeen) / 1000)} ago`;
  if (typeof host.uptimeSeconds !== "number") return "";
  return duration(host.uptimeSeconds + (now - host.uptimeAt) / 1000);
}

/** Uptimes tick without rebuilding rows. */
export function tickUptimes(state, now) {
  for (const td of document.querySelectorAll("td[data-uptime-host]")) {
    const host = state.hosts.get(td.dataset.uptimeHost);
    if (host) td.textContent = uptimeText(host, now);
  }
}

export function renderActors(state) {
  const rows = state.actorRows();
  count("actors", rows.length);
  empty("actors", rows.length === 0);
  syncRows(document.getElementById("actors-body"), rows, (r) => `${r.id}|${r.hostId}`,
    (r) => JSON.stringify(r),
    (r) => {
      const label = `${r.name || short(r.id)} on ${r.hostName || short(r.hostId)}`;
      const inputId = `scale-${r.id}-${r.hostId}`;
      return h("tr", { dataset: { actorId: r.id, hostId: r.hostId, instances: String(r.count) }, class: r.hostState },
        h("th", { scope: "row", "data-label": "Actor" }, h("span", { class: "name" }, r.name), " ", keyEl(r.id)),
        hostCell(r),
        h("td", { "data-label": "Instances", class: "num" }, String(r.count)),
        h("td", { "data-label": "Revision", class: "num" }, r.revision),
        h("td", { "data-label": "Image" }, h("code", { class: "ref" }, r.imageRef || "—")),
        h("td", { "data-label": "Call alias" }, r.callAlias || "—"),
        h("td", { "data-label": "Calls/min", class: "num" }, rate(r.stats)),
        h("td", { "data-label": "Errors", class: "num" }, r.stats ? String(r.stats.failed) : "—"),
        h("td", { "data-label": "Actions", class: "actions" },
          h("label", { for: inputId, class: "visually-hidden" }, `Instances of ${label}`),
          h("input", { id: inputId, type: "number", min: "0", max: "10000", value: String(r.count), class: "count" }),
          h("button", { type: "button", dataset: { action: "scale-actor", actorId: r.id, hostId: r.hostId, imageRef: r.imageRef, input: inputId },
            "aria-label": `Scale ${label}` }, "Scale"),
          h("button", { type: "button", class: "danger", dataset: { action: "stop-actor", actorId: r.id, hostId: r.hostId },
            "aria-label": `Stop ${label}` }, "Stop")));
    });
}

function rate(stats) {
  if (!stats) return "—";
  if (stats.perMinute === null) return `${stats.total} total`;
  return stats.perMinute.toFixed(stats.perMinute < 10 ? 1 : 0);
}

export function renderProviders(state) {
  const rows = state.providerRows();
  count("providers", rows.length);
  empty("providers", rows.length === 0);
  syncRows(document.getElementById("providers-body"), rows, (r) => `${r.id}|${r.linkName}|${r.hostId}`,
    (r) => JSON.stringify(r),
    (r) => {
      const health = r.health === null ? "unknown" : r.health.healthy ? "healthy" : "unhealthy";
      return h("tr", { dataset: { providerId: r.id, linkName: r.linkName, hostId: r.hostId, health }, class: r.hostState },
        h("th", { scope: "row", "data-label": "Provider" }, h("span", { class: "name" }, r.name), " ", keyEl(r.id)),
        h("td", { "data-label": "Contract" }, h("code", {}, r.contract)),
        h("td", { "data-label": "Link name" }, r.linkName),
        hostCell(r),
        h("td", { "data-label": "Health" }, h("span", { class: `badge ${health}`, title: r.health?.message || "" }, health)),
        h("td", { "data-label": "Image" }, h("code", { class: "ref" }, r.imageRef || "—")),
        h("td", { "data-label": "Actions", class: "actions" },
          h("button", { type: "button", class: "danger",
            dataset: { action: "stop-provider", providerId: r.id, linkName: r.linkName, contract: r.contract, hostId: r.hostId },
            "aria-label": `Stop ${r.name || short(r.id)} (${r.linkName}) on ${r.hostName || short(r.hostId)}` }, "Stop")));
    });
}

export function renderLinks(state) {
  const links = [...state.links.values()].sort((a, b) => a.actor_id.localeCompare(b.actor_id) || a.contract_id.localeCompare(b.contract_id));
  count("links", links.length);
  empty("links", links.length === 0);
  const nameOf = (id) => state.claims.find((c) => c.sub === id)?.name || "";
  syncRows(document.getElementById("links-body"), links, (l) => `${l.actor_id}|${l.contract_id}|${l.link_name}`,
    (l) => JSON.stringify([l, nameOf(l.actor_id), nameOf(l.provider_id)]),
    (l) => h("tr", { dataset: { actorId: l.actor_id, providerId: l.provider_id, contract: l.contract_id, linkName: l.link_name } },
      h("th", { scope: "row", "data-label": "Actor" }, h("span", { class: "name" }, nameOf(l.actor_id)), " ", keyEl(l.actor_id)),
      h("td", { "data-label": "Provider" }, h("span", { class: "name" }, nameOf(l.provider_id)), " ", keyEl(l.provider_id)),
      h("td", { "data-label": "Contract" }, h("code", {}, l.contract_id)),
      h("td", { "data-label": "Link name" }, l.link_name),
      h("td", { "data-label": "Values" }, pairs(l.values)),
      h("td", { "data-label": "Actions", class: "actions" },
        h("button", { type: "button", class: "danger",
          dataset: { action: "delete-link", actorId: l.actor_id, contract: l.contract_id, linkName: l.link_name },
          "aria-label": `Delete link ${nameOf(l.actor_id) || short(l.actor_id)} ${l.contract_id} ${l.link_name}` }, "Delete"))));
  // the link form offers the actors and providers it knows
  fill(document.getElementById("known-actors"), ...uniq(state.actorRows().map((r) => [r.id, r.name])).map(([id, n]) => h("option", { value: id }, n)));
  fill(document.getElementById("known-providers"), ...uniq(state.providerRows().map((r) => [r.id, r.name])).map(([id, n]) => h("option", { value: id }, n)));
}

function uniq(pairsList) {
  return [...new Map(pairsList).entries()];
}

export function renderClaims(state) {
  const claims = [...state.claims].sort((a, b) => (a.name || "").localeCompare(b.name || ""));
  count("claims", claims.length);
  empty("claims", claims.length === 0);
  syncRows(document.getElementById("claims-body"), claims, (c) => c.sub, (c) => JSON.stringify(c),
    (c) => h("tr", { dataset: { subject: c.sub } },
      h("th", { scope: "row", "data-label": "Name" }, c.name || ""),
      h("td", { "data-label": "Key" }, keyEl(c.sub)),
      h("td", { "data-label": "Kind" }, c.sub?.startsWith("V") ? "provider" : "actor"),
      h("td", { "data-label": "Capabilities / contract" }, h("code", {}, c.contract_id || c.caps || "")),
      h("td", { "data-label": "Call alias" }, c.call_alias || "—"),
      h("td", { "data-label": "Revision", class: "num" }, c.rev || ""),
      h("td", { "data-label": "Version" }, c.version || ""),
      h("td", { "data-label": "Issuer" }, keyEl(c.iss || ""))));
}

export function renderHostChoices(state) {
  for (const select of document.querySelectorAll("select.host-choice")) {
    const current = select.value;
    const hosts = [...state.hosts.values()].filter((x) => x.state === "up");
    fill(select, h("option", { value: "" }, "any host matching the constraints (auction)"),
      ...hosts.map((x) => h("option", { value: x.id }, `${x.friendlyName || ""} ${short(x.id)}`)));
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }
}
