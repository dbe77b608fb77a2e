// Admin actions: forms and row buttons. Each shows its outcome in words in the action log: the
// host's ack, the lattice's refusal, or NATS' refusal when the signed-in user lacks the right.
import { h, parsePairs, short, time } from "./dom.js";

const MAX_RESULTS = 12;

export class Actions {
  /** api(): the LatticeApi to act with (admin when signed in); after(kind): refresh hook. */
  constructor(api, after) {
    this.api = api;
    this.after = after;
    this.log = document.getElementById("action-results");
  }

  wire() {
    document.getElementById("start-actor").addEventListener("submit", (e) => this.submit(e, (f) => this.startActor(f)));
    document.getElementById("start-provider").addEventListener("submit", (e) => this.submit(e, (f) => this.startProvider(f)));
    document.getElementById("put-link").addEventListener("submit", (e) => this.submit(e, (f) => this.putLink(f)));
    document.getElementById("put-app").addEventListener("submit", (e) => this.submit(e, (f) => this.putApp(f)));
    document.querySelector("main").addEventListener("click", (e) => {
      const b = e.target.closest("button[data-action]");
      if (b) this.run(b, () => this.rowAction(b.dataset));
    });
  }

  submit(event, fn) {
    event.preventDefault();
    const form = event.target;
    this.run(form.querySelector("button[type=submit]"), () => fn(new FormData(form)));
  }

  /** Runs one action: disables its button meanwhile and logs the outcome. */
  async run(button, fn) {
    const entry = this.entry("pending", "working…");
    if (button) button.disabled = true;
    try {
      const text = await fn();
      this.settle(entry, "ok", text);
    } catch (err) {
      this.settle(entry, err.kind || "failed", err.message || String(err));
    } finally {
      if (button) button.disabled = false;
    }
  }

  entry(outcome, text) {
    const li = h("li", { dataset: { outcome } }, h("time", {}, time(new Date())), " ", h("span", { class: "text" }, text));
    this.log.prepend(li);
    while (this.log.children.length > MAX_RESULTS) this.log.lastChild.remove();
    return li;
  }

  settle(li, outcome, text) {
    li.dataset.outcome = outcome;
    const label = { ok: "Done", refused: "Refused", rejected: "Refused", failed: "Failed" }[outcome] || outcome;
    li.querySelector(".text").textContent = `${label}: ${text}`;
  }

  async place(kind, form, body) {
    const chosen = form.get("host");
    if (chosen) return chosen;
    body.constraints = parsePairs(form.get("constraints"), "Constraints");
    return this.api().auction(kind, body);
  }

  async startActor(form) {
    const ref = need(form, "ref", "Actor reference");
    const count = Number(form.get("count") || 1);
    if (!Number.isInteger(count) || count < 1) throw new Error(`Count must be a whole number from 1, not '${form.get("count")}'`);
    const host = await this.place("actor", form, { actor_ref: ref });
    await this.api().startActor(host, ref, count);
    this.after("inventory", host);
    return `host ${short(host)} accepted: starting ${count} instance(s) of ${ref}`;
  }

  async startProvider(form) {
    const ref = need(form, "ref", "Provider reference");
    const linkName = (form.get("link_name") || "").trim() || "default";
    const host = await this.place("provider", form, { provider_ref: ref, link_name: linkName });
    await this.api().startProvider(host, ref, linkName, (form.get("configuration") || "").trim());
    this.after("inventory", host);
    return `host ${short(host)} accepted: starting provider ${ref} with link name '${linkName}'`;
  }

  async putLink(form) {
    const link = {
      actor_id: need(form, "actor_id", "Actor"),
      provider_id: need(form, "provider_id", "Provider"),
      contract_id: need(form, "contract_id", "Contract"),
      link_name: (form.get("link_name") || "").trim() || "default",
      values: parsePairs(form.get("values"), "Values"),
    };
    await this.api().putLink(link);
    return `link put: ${short(link.actor_id)} → ${short(link.provider_id)} ${link.contract_id} (${link.link_name})`;
  }

  async putApp(form) {
    const manifest = need(form, "manifest", "Manifest");
    const r = await this.api().putApp(manifest);
    this.after("apps");
    return `app ${r.name || ""} stored (${r.result}${r.current_version ? ", version " + r.current_version : ""})${r.message ? ": " + r.message : ""}`;
  }

  async rowAction(d) {
    const api = this.api();
    switch (d.action) {
      case "scale-actor": {
        const input = document.getElementById(d.input);
        const count = Number(input.value);
        if (!Number.isInteger(count) || count < 0) throw new Error(`Instances must be a whole number from 0, not '${input.value}'`);
        await api.scaleActor(d.hostId, d.actorId, d.imageRef, count);
        this.after("inventory", d.hostId);
        return `host ${short(d.hostId)} accepted: scaling ${short(d.actorId)} to ${count} instance(s)`;
      }
      case "stop-actor":
        await api.stopActor(d.hostId, d.actorId);
        this.after("inventory", d.hostId);
        return `host ${short(d.hostId)} accepted: stopping every instance of ${short(d.actorId)}`;
      case "stop-provider":
        await api.stopProvider(d.hostId, d.providerId, d.linkName, d.contract);
        this.after("inventory", d.hostId);
        return `host ${short(d.hostId)} accepted: stopping provider ${short(d.providerId)} (${d.linkName})`;
      case "delete-link":
        await api.deleteLink(d.actorId, d.contract, d.linkName);
        return `link deleted: ${short(d.actorId)} ${d.contract} (${d.linkName})`;
      case "deploy-app": {
        const r = await api.appCall("deploy", d.app, {});
        this.after("apps");
        return `deploy ${d.app}: ${r.result}${r.message ? " — " + r.message : ""}`;
      }
      case "undeploy-app": {
        const r = await api.appCall("undeploy", d.app, { non_destructive: false });
        this.after("apps");
        return `undeploy ${d.app}: ${r.result}${r.message ? " — " + r.message : ""}`;
      }
      default:
        throw new Error(`unknown action ${d.action}`);
    }
  }
}

function need(form, field, label) {
  const v = (form.get(field) || "").trim();
  if (!v) throw new Error(`${label} is required`);
  return v;
}
