// A Bazaar client in another language, on the official NATS client for Node.js (docs: examples/node-client/README.md).
// It discovers the services through $SRV, reads a product over HTTP, looks it up with catalog.get-products, holds
// one unit with catalog.reserve-stock on a customer's behalf (their access token in the Authorization header), and
// follows one order's events from the ORDERS stream as its own NATS user. Prints one JSON line per step.
import { connect, nkeyAuthenticator, headers, JSONCodec } from "nats";
import { randomUUID } from "node:crypto";

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const NATS_URL = env("NATS_URL", "nats://127.0.0.1:4322");
const SEED = env("NATS_NKEY_SEED");
const CATALOG_URL = env("CATALOG_URL", "http://127.0.0.1:8082");
const TOKEN = env("ACCESS_TOKEN");          // a customer's access token from identity
const ORDER_ID = env("ORDER_ID");           // the order whose events to follow
const TIMEOUT_MS = Number(env("TIMEOUT_MS", "10000"));
const json = JSONCodec();
const say = (step, detail) => console.log(JSON.stringify({ step, ...detail }));

// A service error is a reply with the standard Nats-Service-Error headers, not an exception.
function replyOf(msg) {
  const code = msg.headers?.get("Nats-Service-Error-Code");
  if (code) throw new Error(`error ${code}: ${msg.headers.get("Nats-Service-Error")}`);
  return json.decode(msg.data);
}

const nc = await connect({
  servers: NATS_URL,
  authenticator: nkeyAuthenticator(new TextEncoder().encode(SEED)),
  inboxPrefix: "_INBOX_node-client",        // this user may only subscribe to its own inboxes
  name: "node-client",
});
try {
  // 1. Discovery: who answers $SRV.PING, and what catalog serves ($SRV.INFO).
  const services = nc.services.client({ maxWait: 1000 });
  const names = new Set();
  for await (const ping of await services.ping()) names.add(ping.name);
  if (!names.has("catalog")) throw new Error(`catalog not discovered, only ${[...names]}`);
  const endpoints = [];
  for await (const info of await services.info("catalog")) endpoints.push(...info.endpoints.map((e) => e.subject));
  say("discovered", { services: [...names].sort(), catalog: [...new Set(endpoints)].sort() });

  // 2. One HTTP call: the first product of the public catalogue.
  const page = await (await fetch(`${CATALOG_URL}/products?limit=1`)).json();
  const product = page.products[0];
  say("http", { product: product.id, sku: product.sku });

  // 3. Request-reply: the same product by id.
  const lookup = replyOf(await nc.request("catalog.get-products", json.encode({ ids: [product.id] }),
    { timeout: 5000 }));
  say("get-products", { found: lookup.products.map((p) => p.sku), missing: lookup.missing });

  // 4. On a customer's behalf: hold one unit.
  const h = headers();
  h.set("Authorization", `Bearer ${TOKEN}`);
  const reservation = replyOf(await nc.request("catalog.reserve-stock",
    json.encode({ orderId: randomUUID(), items: [{ productId: product.id, quantity: 1 }] }),
    { timeout: 5000, headers: h }));
  say("reserve-stock", { reserved: reservation.reserved, expiresAt: reservation.expiresAt });

  // 5. The order's events from the ORDERS stream, read in order by sequence (JetStream's message-get API, a plain
  // request: no consumer to create, so the user needs no consumer permissions), polling for new ones until the
  // order is final. (nats.js's ordered consumers do not use the connection's inbox prefix, which this user's
  // permissions require.) Tolerant reader: unknown fields are ignored, schemaVersion may be higher than known.
  const jsm = await nc.jetstreamManager();
  const seen = [];
  const until = Date.now() + TIMEOUT_MS;
  let seq = (await jsm.streams.info("ORDERS")).state.first_seq;
  while (!seen.some((t) => t === "order-confirmed" || t === "order-cancelled") && Date.now() < until) {
    const last = (await jsm.streams.info("ORDERS")).state.last_seq;
    if (seq > last) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    const m = await jsm.streams.getMessage("ORDERS", { seq: seq++ }).catch(() => null); // null: deleted
    if (!m) continue;
    const event = m.json();
    if (event.orderId !== ORDER_ID) continue;
    const type = m.subject.substring("orders.events.".length);
    seen.push(type);
    say("event", { type, seq: m.seq, schemaVersion: event.schemaVersion, orderId: event.orderId });
  }
  if (!seen.includes("order-placed") || seen.length < 2) throw new Error(`order ${ORDER_ID} events seen: ${seen}`);
  say("done", { events: seen });
} finally {
  await nc.close();
}
