// The lattice as NATS requests: control interface (PROTOCOL.md §8), provider health (PROTOCOL.md
// §7.4) and the app manager's API (wadm's `wadm.api.{lattice}.model.*`). Every failure becomes an
// ApiError whose message says in words what happened.
import { Empty, ErrorCode, RequestStrategy, headers } from "../vendor/nats.ws.js";
import { HEALTH_REQUEST, decode } from "./msgpack.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

export class ApiError extends Error {
  constructor(message, kind) {
    super(message);
    this.kind = kind; // "refused" (NATS permissions), "rejected" (the lattice said no), "failed"
  }
}

/** Turns what nats.ws throws into words. */
export function explain(err, subject, who) {
  const text = String(err?.message || err);
  if (err?.code === ErrorCode.PermissionsViolation || /Permissions Violation/i.test(text)) {
    return new ApiError(
      `NATS does not let ${who} publish to ${subject}` +
        (who.includes("read-only") ? ". Sign in as admin to act on the lattice." : "."),
      "refused",
    );
  }
  if (err?.code === ErrorCode.NoResponders || err?.code === "503") {
    return new ApiError(`No one answers on ${subject}`, "failed");
  }
  if (err?.code === ErrorCode.Timeout || /timeout/i.test(text)) {
    return new ApiError(`No answer on ${subject} in time`, "failed");
  }
  if (err?.code === ErrorCode.ConnectionClosed || err?.code === ErrorCode.Disconnect) {
    return new ApiError(`Not connected to NATS (${text})`, "failed");
  }
  return new ApiError(`${subject}: ${text}`, "failed");
}

export class LatticeApi {
  /** nc: a nats.ws connection; who: how errors name the user ("the read-only user"). */
  constructor(nc, cfg, who) {
    this.nc = nc;
    this.lattice = cfg.lattice;
    this.ctl = `${cfg.ctl_prefix}.${cfg.lattice}`;
    this.api = `wadm.api.${cfg.lattice}.model`;
    this.who = who;
  }

  async request(subject, body, { timeout = 5000, hdrs } = {}) {
    const data = body === undefined ? Empty : body instanceof Uint8Array ? body : enc.encode(
      typeof body === "string" ? body : JSON.stringify(body));
    try {
      return await this.nc.request(subject, data, { timeout, headers: hdrs });
    } catch (err) {
      throw explain(err, subject, this.who);
    }
  }

  async json(subject, body, opts) {
    const m = await this.request(subject, body, opts);
    const text = dec.decode(m.data);
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(`${subject} answered with something that is not JSON: ${text.slice(0, 200)}`, "failed");
    }
  }

  /** Every host's ping reply that arrives within waitMs, each also handed to onReply at once. */
  async pingHosts(waitMs = 1500, onReply = () => {}) {
    const subject = `${this.ctl}.ping.hosts`;
    const replies = [];
    try {
      const it = await this.nc.requestMany(subject, Empty, {
        maxWait: waitMs,
        strategy: RequestStrategy.Timer,
      });
      for await (const m of it) {
        try {
          const reply = JSON.parse(dec.decode(m.data));
          replies.push(reply);
          onReply(reply);
        } catch {
          // a reply that is not JSON is not a host
        }
      }
    } catch (err) {
      if (err?.code === ErrorCode.NoResponders || err?.code === "503") return replies;
      throw explain(err, subject, this.who);
    }
    return replies;
  }

  inventory(hostId) {
    return this.json(`${this.ctl}.get.${hostId}.inv`, undefined, { timeout: 3000 });
  }

  async links() {
    return (await this.json(`${this.ctl}.get.links`)).links || [];
  }

  async claims() {
    return (await this.json(`${this.ctl}.get.claims`)).claims || [];
  }

  /** true/false from the provider itself, as a host's health check would see it. */
  async providerHealth(publicKey, linkName) {
    const m = await this.request(`wasmbus.rpc.${this.lattice}.${publicKey}.${linkName}.health`,
      HEALTH_REQUEST, { timeout: 2000 });
    try {
      const reply = decode(m.data);
      return { healthy: reply?.healthy !== false, message: reply?.message || "" };
    } catch {
      return { healthy: true, message: "" }; // any reply counts as healthy (PROTOCOL.md §7.4)
    }
  }

  /** A control command's ack: resolves with the text, rejects when accepted is false. */
  async command(subject, body) {
    const ack = await this.json(subject, body);
    if (ack.accepted === false) throw new ApiError(ack.error || "refused without a reason", "rejected");
    return ack;
  }

  /** The first host that bids for an actor or provider with these constraints. */
  async auction(kind, body) {
    const subject = `${this.ctl}.auction.${kind}`;
    try {
      const bid = await this.json(subject, body, { timeout: 3000 });
      if (bid.accepted === false) throw new ApiError(bid.error, "rejected");
      return bid.host_id;
    } catch (err) {
      if (err instanceof ApiError && err.kind === "failed" && /in time|No one answers/.test(err.message)) {
        const c = Object.entries(body.constraints || {}).map(([k, v]) => `${k}=${v}`).join(", ");
        throw new ApiError(`No host bid for ${kind === "actor" ? body.actor_ref : body.provider_ref}` +
          (c ? ` with constraints ${c}` : "") + " within 3 s", "rejected");
      }
      throw err;
    }
  }

  startActor(hostId, ref, count) {
    return this.command(`${this.ctl}.cmd.${hostId}.la`, { actor_ref: ref, count, host_id: hostId });
  }

  scaleActor(hostId, actorId, ref, count) {
    return this.command(`${this.ctl}.cmd.${hostId}.scale`,
      { actor_id: actorId, actor_ref: ref || "", count, host_id: hostId });
  }

  stopActor(hostId, actorId) {
    return this.command(`${this.ctl}.cmd.${hostId}.sa`, { actor_ref: actorId, count: 0, host_id: hostId });
  }

  startProvider(hostId, ref, linkName, configuration) {
    const body = { provider_ref: ref, link_name: linkName, host_id: hostId };
    if (configuration) body.configuration = configuration;
    return this.command(`${this.ctl}.cmd.${hostId}.lp`, body);
  }

  stopProvider(hostId, publicKey, linkName, contractId) {
    return this.command(`${this.ctl}.cmd.${hostId}.sp`,
      { provider_ref: publicKey, link_name: linkName, contract_id: contractId, host_id: hostId });
  }

  putLink(link) {
    return this.command(`${this.ctl}.linkdefs.put`, link);
  }

  deleteLink(actorId, contractId, linkName) {
    return this.command(`${this.ctl}.linkdefs.del`,
      { actor_id: actorId, contract_id: contractId, link_name: linkName });
  }

  // The app manager (wadm API): replies carry result/message.

  async apps() {
    const r = await this.json(`${this.api}.list`, undefined, { timeout: 3000 });
    if (Array.isArray(r)) return r;
    if (Array.isArray(r?.models)) return r.models;
    throw new ApiError(r?.message || "model.list answered without a list", "rejected");
  }

  appStatus(name) {
    return this.json(`${this.api}.status.${name}`, undefined, { timeout: 3000 });
  }

  async appCall(op, name, body) {
    const subject = name ? `${this.api}.${op}.${name}` : `${this.api}.${op}`;
    const r = await this.json(subject, body);
    if (r.result === "error" || r.result === "notfound") {
      throw new ApiError(r.message || r.result, "rejected");
    }
    return r;
  }

  putApp(manifestText) {
    const json = manifestText.trim().startsWith("{");
    const h = headers();
    h.set("Content-Type", json ? "application/json" : "application/yaml");
    return this.appCallRaw("put", manifestText, h);
  }

  async appCallRaw(op, text, hdrs) {
    const subject = `${this.api}.${op}`;
    const m = await this.request(subject, text, { hdrs });
    const r = JSON.parse(dec.decode(m.data));
    if (r.result === "error") throw new ApiError(r.message || "error", "rejected");
    return r;
  }
}
