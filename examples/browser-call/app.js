// Sends a NATS request from the browser and shows the reply. The page connects as the `browser`
// user, which may publish only to its subjects (browser.> by default) and read its own replies.
import { connect, StringCodec } from "../../vendor/nats.ws.js";

const sc = StringCodec();
const status = document.getElementById("status");
const reply = document.getElementById("reply");

function show(el, state, text) {
  el.dataset.state = state;
  el.textContent = text;
}

const cfg = await (await fetch("../../config.json", { cache: "no-store" })).json();
const opts = { servers: cfg.ws_url, name: "trellis-browser-call" };
if (cfg.browser) {
  Object.assign(opts, { user: cfg.browser.user, pass: cfg.browser.password, inboxPrefix: cfg.browser.inbox_prefix });
}
let nc;
try {
  nc = await connect(opts);
  show(status, "connected", `connected to ${cfg.ws_url}${cfg.browser ? " as " + cfg.browser.user : ""}`);
} catch (err) {
  show(status, "error", `cannot connect to ${cfg.ws_url}: ${err.message}`);
}

document.getElementById("call-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const subject = document.getElementById("subject").value.trim();
  const message = document.getElementById("message").value;
  show(reply, "waiting", `waiting for a reply on ${subject}…`);
  try {
    const m = await nc.request(subject, sc.encode(message), { timeout: 5000 });
    show(reply, "ok", sc.decode(m.data));
  } catch (err) {
    const why = err.code === "503" ? `nothing subscribes to ${subject}: is the actor linked to the messaging provider with SUBSCRIPTION=${subject}?`
      : err.code === "TIMEOUT" ? "no reply within 5 s"
      : err.message;
    show(reply, "error", `No reply: ${why}`);
  }
});
