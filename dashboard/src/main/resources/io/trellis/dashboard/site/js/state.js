// What the page knows about the lattice, folded from ping replies, inventories, links, claims and
// the event stream (PROTOCOL.md §8). Hosts age out: one that stops heartbeating turns stale after
// STALE_BEATS missed intervals and is dropped after DROP_BEATS, whether or not it said goodbye.

export const DEFAULT_HEARTBEAT_MS = 30000;
export const STALE_BEATS = 2.5;
export const DROP_BEATS = 5;
const MAX_EVENTS = 500;
const EVT = "com.wasmcloud.lattice.";

export class LatticeState {
  constructor() {
    this.hosts = new Map(); // id → host
    this.inventories = new Map(); // host id → inventory reply
    this.links = new Map(); // link key → link
    this.claims = [];
    this.health = new Map(); // host|pk|link → {healthy, message}
    this.apps = { available: null, message: "", list: [], status: new Map() };
    this.events = [];
    this.stats = new Map(); // host|actor → [{t, total, failed}] (last two heartbeats)
    this.eventSeq = 0;
  }

  /** A host answered a ping or sent a heartbeat/host_started; returns true if it is new. */
  hostSeen(id, info, now) {
    const known = this.hosts.get(id);
    const h = known || { id, state: "up", intervalMs: DEFAULT_HEARTBEAT_MS, firstSeen: now };
    if (info.labels) h.labels = info.labels;
    if (info.friendly_name) h.friendlyName = info.friendly_name;
    if (info.version) h.version = info.version;
    if (typeof info.uptime_seconds === "number") {
      h.uptimeSeconds = info.uptime_seconds;
      h.uptimeAt = now;
    }
    if (typeof info.heartbeat_interval_ms === "number" && info.heartbeat_interval_ms > 0) {
      h.intervalMs = info.heartbeat_interval_ms;
    }
    h.lastSeen = now;
    h.state = "up";
    this.hosts.set(id, h);
    return !known;
  }

  removeHost(id) {
    this.hosts.delete(id);
    this.inventories.delete(id);
    for (const k of [...this.health.keys()]) if (k.startsWith(id + "|")) this.health.delete(k);
    for (const k of [...this.stats.keys()]) if (k.startsWith(id + "|")) this.stats.delete(k);
  }

  /** Ages hosts; returns true when something changed. */
  tick(now) {
    let changed = false;
    for (const h of [...this.hosts.values()]) {
      const age = now - h.lastSeen;
      if (age > DROP_BEATS * h.intervalMs) {
        this.removeHost(h.id);
        this.note({ type: "trellis.dashboard.host_dropped", source: h.id,
          summary: `no heartbeat for ${Math.round(age / 1000)} s: dropped from the dashboard` });
        changed = true;
      } else if (age > STALE_BEATS * h.intervalMs && h.state !== "stale") {
        h.state = "stale";
        changed = true;
      }
    }
    return changed;
  }

  setInventory(hostId, inv) {
    if (!this.hosts.has(hostId)) return;
    this.inventories.set(hostId, inv);
    const h = this.hosts.get(hostId);
    if (inv.labels) h.labels = inv.labels;
    if (inv.friendly_name) h.friendlyName = inv.friendly_name;
  }

  setLinks(list) {
    this.links = new Map(list.map((l) => [linkKey(l), l]));
  }

  setHealth(hostId, publicKey, linkName, value) {
    this.health.set(`${hostId}|${publicKey}|${linkName}`, value);
  }

  /**
   * Folds one CloudEvent; returns what to fetch because of it:
   * {inventory: hostId, claims: true, apps: true}.
   */
  applyEvent(ce, now) {
    const type = String(ce.type || "");
    const name = type.startsWith(EVT) ? type.slice(EVT.length) : type;
    const data = ce.data || {};
    const source = ce.source || "";
    const follow = {};
    this.note({ type, source, time: ce.time, data, summary: summarize(name, data) });
    switch (name) {
      case "host_heartbeat":
      case "host_started": {
        const fresh = this.hostSeen(source, data, now);
        if (name === "host_heartbeat") this.recordStats(source, data.invocations, now);
        if (fresh || name === "host_started" || this.differs(source, data)) follow.inventory = source;
        break;
      }
      case "host_stopped":
        this.removeHost(source);
        break;
      case "actor_started": case "actors_started": case "actor_stopped": case "actors_stopped":
      case "actor_updated": case "actor_update_failed":
      case "provider_started": case "provider_stopped":
        if (this.hosts.has(source)) this.hosts.get(source).lastSeen = now;
        follow.inventory = source;
        if (name.endsWith("started") || name === "actor_updated") follow.claims = true;
        if (name === "provider_stopped") this.health.delete(`${source}|${data.public_key}|${data.link_name}`);
        break;
      case "health_check_passed":
        this.setHealth(source, data.public_key, data.link_name, { healthy: true, message: "" });
        break;
      case "health_check_failed":
        this.setHealth(source, data.public_key, data.link_name, { healthy: false, message: "" });
        break;
      case "linkdef_set":
        this.links.set(linkKey(data), data);
        break;
      case "linkdef_deleted":
        this.links.delete(linkKey(data));
        break;
      default:
        if (type.startsWith("com.wadm.")) follow.apps = true;
    }
    return follow;
  }

  /** Whether a heartbeat's actors/providers differ from the inventory held for that host. */
  differs(hostId, beat) {
    const inv = this.inventories.get(hostId);
    if (!inv) return true;
    const counts = {};
    for (const a of inv.actors || []) counts[a.id] = (a.instances || []).length;
    const beatActors = beat.actors || {};
    const keys = new Set([...Object.keys(counts), ...Object.keys(beatActors)]);
    for (const k of keys) if ((counts[k] || 0) !== (beatActors[k] || 0)) return true;
    const provs = new Set((inv.providers || []).map((p) => `${p.id}|${p.link_name}`));
    const beatProvs = (beat.providers || []).map((p) => `${p.public_key}|${p.link_name}`);
    return beatProvs.length !== provs.size || beatProvs.some((p) => !provs.has(p));
  }

  /** Heartbeats of Trellis hosts carry cumulative invocation counts per actor (PROTOCOL.md §8.5). */
  recordStats(hostId, invocations, now) {
    if (!invocations) return;
    for (const [actor, c] of Object.entries(invocations)) {
      const key = `${hostId}|${actor}`;
      const samples = this.stats.get(key) || [];
      samples.push({ t: now, total: c.total || 0, failed: c.failed || 0 });
      while (samples.length > 2) samples.shift();
      this.stats.set(key, samples);
    }
  }

  /** {total, failed, perMinute|null} of one actor on one host. */
  actorStats(hostId, actor) {
    const s = this.stats.get(`${hostId}|${actor}`);
    if (!s || s.length === 0) return null;
    const last = s[s.length - 1];
    let perMinute = null;
    if (s.length === 2 && last.t > s[0].t) {
      perMinute = Math.max(0, last.total - s[0].total) / ((last.t - s[0].t) / 60000);
    }
    return { total: last.total, failed: last.failed, perMinute };
  }

  note(e) {
    this.events.unshift({ seq: ++this.eventSeq, at: new Date(), ...e });
    if (this.events.length > MAX_EVENTS) this.events.length = MAX_EVENTS;
  }

  /** One row per actor per host. */
  actorRows() {
    const rows = [];
    for (const [hostId, inv] of this.inventories) {
      const host = this.hosts.get(hostId);
      for (const a of inv.actors || []) {
        const instances = a.instances || [];
        const revisions = [...new Set(instances.map((i) => i.revision))];
        const claim = this.claims.find((c) => c.sub === a.id) || {};
        rows.push({
          id: a.id, name: a.name || claim.name || "", hostId, hostState: host?.state,
          hostName: host?.friendlyName || "", count: instances.length,
          revision: revisions.join(", "), imageRef: a.image_ref || "",
          callAlias: claim.call_alias || "", stats: this.actorStats(hostId, a.id),
        });
      }
    }
    return rows.sort((x, y) => (x.name || x.id).localeCompare(y.name || y.id) || x.hostId.localeCompare(y.hostId));
  }

  providerRows() {
    const rows = [];
    for (const [hostId, inv] of this.inventories) {
      const host = this.hosts.get(hostId);
      for (const p of inv.providers || []) {
        rows.push({
          id: p.id, name: p.name || "", contract: p.contract_id, linkName: p.link_name,
          hostId, hostState: host?.state, hostName: host?.friendlyName || "",
          imageRef: p.image_ref || "", revision: p.revision,
          health: this.health.get(`${hostId}|${p.id}|${p.link_name}`) || null,
        });
      }
    }
    return rows.sort((x, y) => (x.name || x.id).localeCompare(y.name || y.id) || x.hostId.localeCompare(y.hostId));
  }
}

export function linkKey(l) {
  return `${l.actor_id}|${l.contract_id}|${l.link_name || "default"}`;
}

function summarize(name, d) {
  switch (name) {
    case "host_heartbeat":
      return `${Object.keys(d.actors || {}).length} actor(s), ${(d.providers || []).length} provider(s), up ${d.uptime_human || ""}`;
    case "actors_started": case "actors_stopped":
      return `${d.public_key} ×${d.count}${d.image_ref ? " " + d.image_ref : ""}`;
    case "actor_started": case "actor_stopped":
      return `${d.public_key}${d.image_ref ? " " + d.image_ref : ""}`;
    case "actor_start_failed": case "actors_start_failed": case "provider_start_failed":
      return `${d.actor_ref || d.image_ref || d.provider_ref || ""}: ${d.error || ""}`;
    case "provider_started": case "provider_stopped":
    case "health_check_passed": case "health_check_failed": case "health_check_status":
      return `${d.public_key} ${d.contract_id || ""} (${d.link_name || ""})${d.reason ? ": " + d.reason : ""}`;
    case "linkdef_set": case "linkdef_deleted":
      return `${d.actor_id} → ${d.provider_id} ${d.contract_id} (${d.link_name})`;
    default:
      return JSON.stringify(d).slice(0, 200);
  }
}
