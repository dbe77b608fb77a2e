// The dashboard: connects to NATS over the websocket as the read-only user, subscribes to the
// lattice's events, asks the hosts what runs, and keeps the page current from the event stream.
// #status reads "subscribed" (data-state="subscribed") once events are flowing.
import { connect } from "../vendor/nats.ws.js";
import { LatticeApi } from "./api.js";
import { Actions } from "./actions.js";
import { renderApps, renderEvents } from "./panels.js";
import { LatticeState } from "./state.js";
import * as view from "./view.js";

const dec = new TextDecoder();
const state = new LatticeState();
const statusEl = document.getElementById("status");
let cfg;
let api; // read-only
let adminApi = null; // after sign-in
const inflight = new Map(); // host id → {running, again}

function setStatus(s, text) {
  statusEl.dataset.state = s;
  statusEl.textContent = text;
}

// ---- rendering, coalesced ----
let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    const now = performance.now();
    view.renderHosts(state, now);
    view.renderActors(state);
    view.renderProviders(state);
    view.renderLinks(state);
    view.renderClaims(state);
    view.renderHostChoices(state);
    renderApps(state);
    renderEvents(state, eventsUi);
  }, 16);
}
const eventsUi = { filter: document.getElementById("events-filter"), group: document.getElementById("events-group") };
eventsUi.filter.addEventListener("input", render);
eventsUi.group.addEventListener("change", render);
document.getElementById("events-clear").addEventListener("click", () => { state.events = []; render(); });

// ---- fetching ----
async function refreshInventory(hostId) {
  const f = inflight.get(hostId) || { running: false, again: false };
  inflight.set(hostId, f);
  if (f.running) { f.again = true; return; }
  f.running = true;
  try {
    do {
      f.again = false;
      try {
        const inv = await api.inventory(hostId);
        state.setInventory(hostId, inv);
        probeHealth(hostId, inv);
      } catch (err) {
        state.note({ type: "trellis.dashboard.error", source: hostId, summary: `inventory: ${err.message}` });
      }
      render();
    } while (f.again);
  } finally {
    f.running = false;
  }
}

function probeHealth(hostId, inv) {
  for (const p of inv.providers || []) {
    if (state.health.has(`${hostId}|${p.id}|${p.link_name}`)) continue;
    api.providerHealth(p.id, p.link_name)
      .then((v) => { if (!state.health.has(`${hostId}|${p.id}|${p.link_name}`)) state.setHealth(hostId, p.id, p.link_name, v); })
      .catch((err) => {
        // a user without the right to ask leaves the health unknown until an event tells
        if (err.kind !== "refused") state.setHealth(hostId, p.id, p.link_name, { healthy: false, message: err.message });
      })
      .finally(render);
  }
}

async function refreshLinksAndClaims() {
  try { state.setLinks(await api.links()); } catch (err) { note("links", err); }
  try { state.claims = await api.claims(); } catch (err) { note("claims", err); }
  render();
}

async function refreshApps() {
  try {
    state.apps.list = await api.apps();
    state.apps.available = true;
    await Promise.all(state.apps.list.map(async (a) => {
      try { state.apps.status.set(a.name, await api.appStatus(a.name)); } catch (err) { state.apps.status.delete(a.name); }
    }));
  } catch (err) {
    state.apps.available = false;
    state.apps.message = `No app manager answers on wadm.api.${cfg.lattice}: ${err.message}`;
  }
  render();
}

function note(what, err) {
  state.note({ type: "trellis.dashboard.error", source: "", summary: `${what}: ${err.message}` });
}

async function sync() {
  const ping = api.pingHosts(1500, (reply) => {
    if (!reply.id) return;
    if (state.hostSeen(reply.id, reply, performance.now())) refreshInventory(reply.id);
    render();
  }).catch((err) => note("ping", err));
  await Promise.all([ping, refreshLinksAndClaims(), refreshApps()]);
}

function onEvent(msg) {
  let ce;
  try { ce = JSON.parse(dec.decode(msg.data)); } catch { return; }
  if (!ce || typeof ce !== "object") return;
  if (msg.subject.startsWith("wadm.")) {
    state.note({ type: ce.type || msg.subject, source: ce.source || "", data: ce.data || ce, summary: msg.subject });
    refreshApps();
    return;
  }
  const follow = state.applyEvent(ce, performance.now());
  if (follow.inventory && state.hosts.has(follow.inventory)) refreshInventory(follow.inventory);
  if (follow.claims) refreshLinksAndClaims();
  if (follow.apps) refreshApps();
  render();
}

async function subscribe(nc) {
  for (const subject of [`wasmbus.evt.${cfg.lattice}`, `wadm.evt.${cfg.lattice}`, `wadm.status.${cfg.lattice}.*`]) {
    nc.subscribe(subject, { callback: (err, msg) => { if (!err) onEvent(msg); } });
  }
  await nc.flush();
}

async function watchStatus(nc) {
  for await (const s of nc.status()) {
    if (s.type === "disconnect") setStatus("disconnected", "disconnected from NATS; reconnecting…");
    if (s.type === "reconnect") {
      // subscriptions come back by themselves; what happened meanwhile is asked for again
      setStatus("syncing", "reconnected; catching up…");
      sync().finally(() => setStatus("subscribed", "subscribed"));
    }
  }
}

// ---- admin sign-in ----
function wireAdmin() {
  const form = document.getElementById("admin-form");
  const stateEl = document.getElementById("admin-state");
  const signOut = document.getElementById("admin-sign-out");
  if (!cfg.admin) {
    form.hidden = true;
    stateEl.textContent = cfg.read ? "Read-only" : "No credentials needed: actions use this connection";
    stateEl.dataset.state = cfg.read ? "read-only" : "open";
    return;
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = document.getElementById("admin-password");
    stateEl.textContent = "Signing in…";
    try {
      const nc = await connect({ servers: cfg.ws_url, user: cfg.admin.user, pass: input.value,
        inboxPrefix: cfg.admin.inbox_prefix, name: "trellis-dashboard-admin", maxReconnectAttempts: -1 });
      adminApi = new LatticeApi(nc, cfg, `the admin user (${cfg.admin.user})`);
      input.value = "";
      form.hidden = true;
      signOut.hidden = false;
      stateEl.dataset.state = "admin";
      stateEl.textContent = `Signed in as ${cfg.admin.user}`;
    } catch (err) {
      stateEl.dataset.state = "read-only";
      stateEl.textContent = `Sign-in failed: ${/Authorization/i.test(err.message) ? "wrong password" : err.message}`;
    }
  });
  signOut.addEventListener("click", async () => {
    const a = adminApi;
    adminApi = null;
    if (a) await a.nc.close();
    form.hidden = false;
    signOut.hidden = true;
    stateEl.dataset.state = "read-only";
    stateEl.textContent = "Read-only: actions are refused until you sign in";
    document.getElementById("admin-password").focus();
  });
}

async function main() {
  cfg = await (await fetch("config.json", { cache: "no-store" })).json();
  document.getElementById("lattice-name").textContent = cfg.lattice;
  document.title = `Trellis · ${cfg.lattice}`;
  wireAdmin();
  setStatus("connecting", `connecting to ${cfg.ws_url}…`);
  // waitOnFirstConnect: a NATS that is restarting is waited for; a wrong password still fails
  const opts = { servers: cfg.ws_url, name: "trellis-dashboard", maxReconnectAttempts: -1,
    reconnectTimeWait: 1000, waitOnFirstConnect: true };
  if (cfg.read) Object.assign(opts, { user: cfg.read.user, pass: cfg.read.password, inboxPrefix: cfg.read.inbox_prefix });
  let nc;
  try {
    nc = await connect(opts);
  } catch (err) {
    setStatus("error", `cannot connect to NATS at ${cfg.ws_url}: ${err.message}`);
    return;
  }
  api = new LatticeApi(nc, cfg, cfg.read ? `the read-only user (${cfg.read.user})` : "this connection");
  new Actions(() => adminApi || api, (kind, hostId) => {
    if (kind === "inventory") refreshInventory(hostId);
    if (kind === "apps") refreshApps();
  }).wire();
  await subscribe(nc);
  setStatus("subscribed", "subscribed");
  watchStatus(nc);
  await sync();
  document.body.dataset.synced = "true";
  setInterval(() => {
    const now = performance.now();
    // while disconnected no heartbeat can arrive: hosts are judged again after the next ping
    if (statusEl.dataset.state === "subscribed" && state.tick(now)) render();
    view.tickUptimes(state, now);
  }, 250);
  setInterval(refreshLinksAndClaims, 30000);
  setInterval(refreshApps, 5000);
}

main().catch((err) => setStatus("error", `dashboard failed: ${err.message}`));
// for a look from the browser's console
window.trellisDashboard = { state };
