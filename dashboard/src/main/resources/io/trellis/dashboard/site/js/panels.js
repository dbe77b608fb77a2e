// The apps and events panels.
import { fill, h, short, time } from "./dom.js";
import { syncRows } from "./view.js";

export function renderApps(state) {
  const apps = state.apps;
  const note = document.getElementById("apps-note");
  note.textContent = apps.available === false ? apps.message : "";
  note.hidden = apps.available !== false;
  const list = [...apps.list].sort((a, b) => a.name.localeCompare(b.name));
  fill(document.getElementById("count-apps"), String(list.length));
  document.querySelector("#apps .empty").hidden = !(apps.available && list.length === 0);
  document.querySelector("#apps .table-wrap").hidden = list.length === 0;
  syncRows(document.getElementById("apps-body"), list, (a) => a.name,
    (a) => JSON.stringify([a, apps.status.get(a.name)]),
    (a) => {
      const st = apps.status.get(a.name);
      const overall = st?.status?.status || { type: a.status || "unknown", message: a.status_message || "" };
      return h("tr", { dataset: { app: a.name, status: overall.type } },
        h("th", { scope: "row", "data-label": "App" }, a.name, a.description ? h("div", { class: "muted" }, a.description) : null),
        h("td", { "data-label": "Version" }, a.version || ""),
        h("td", { "data-label": "Deployed" }, a.deployed_version || "—"),
        h("td", { "data-label": "Status" }, badge(overall), overall.message ? h("div", { class: "reason" }, overall.message) : null,
          components(st?.status?.components || [])),
        h("td", { "data-label": "Actions", class: "actions" },
          h("button", { type: "button", dataset: { action: "deploy-app", app: a.name }, "aria-label": `Deploy ${a.name}` }, "Deploy"),
          h("button", { type: "button", class: "danger", dataset: { action: "undeploy-app", app: a.name }, "aria-label": `Undeploy ${a.name}` }, "Undeploy")));
    });
}

function badge(status) {
  const type = status?.type || "unknown";
  return h("span", { class: `badge app-${type}` }, type);
}

function components(list) {
  if (list.length === 0) return null;
  return h("details", { class: "components" },
    h("summary", {}, `${list.length} component${list.length === 1 ? "" : "s"}`),
    h("ul", {}, list.map((c) => h("li", { dataset: { component: c.name, status: c.status?.type || "" } },
      h("strong", {}, c.name), ` (${c.type || ""}) `, badge(c.status),
      c.status?.message ? h("span", { class: "reason" }, ` ${c.status.message}`) : null,
      (c.traits || []).length === 0 ? null : h("ul", {}, c.traits.map((t) => h("li", { dataset: { trait: t.type, status: t.status?.type || "" } },
        `${t.type} `, badge(t.status), t.status?.message ? h("span", { class: "reason" }, ` ${t.status.message}`) : null)))))));
}

const GROUPS = {
  host: /host_/,
  actor: /actor/,
  provider: /provider_|health_check/,
  link: /linkdef/,
  app: /wadm/,
};

export function renderEvents(state, ui) {
  const text = ui.filter.value.trim().toLowerCase();
  const group = ui.group.value;
  const matching = state.events.filter((e) => {
    if (group && !GROUPS[group].test(e.type)) return false;
    if (!text) return true;
    return `${e.type} ${e.source} ${e.summary} ${JSON.stringify(e.data || {})}`.toLowerCase().includes(text);
  }).slice(0, 200);
  fill(document.getElementById("count-events"), String(state.events.length));
  document.getElementById("events-shown").textContent =
    `${matching.length} of ${state.events.length} event(s) shown, newest first`;
  syncRows(document.getElementById("events-list"), matching, (e) => String(e.seq), () => "",
    (e) => h("li", { dataset: { type: e.type } },
      h("time", {}, time(e.at)), " ",
      h("span", { class: "etype" }, e.type.replace("com.wasmcloud.lattice.", "")), " ",
      h("code", { class: "key", title: e.source }, short(e.source)), " ",
      h("span", { class: "summary" }, e.summary || "")));
}
