// Review 98's fixture: review 84's (src/review84.mjs), its class wrapped to record each alarm handler's run (start,
// end or error) and each construction, and to seed raw entries and an alarm, then reset (an object as a reset left it).
import base, { PlainConnection as Base } from "./review84.mjs";
import { createConnections } from "partner-oauth/worker";

const alarms = [];
const constructed = [];
export class PlainConnection extends Base {
  constructor(ctx, env) {
    super(ctx, env);
    constructed.push({ at: Date.now(), id: ctx.id.toString() });
  }
  async alarm(info) {
    const run = { start: Date.now(), id: this.ctx.id.toString(), retry: info?.retryCount ?? null };
    alarms.push(run);
    try {
      await super.alarm(info);
      run.end = Date.now();
    } catch (error) {
      run.error = String(error);
      throw error;
    }
  }
  async testSeed(entries, alarmInMs) {
    await this.ctx.storage.put(entries);
    if (alarmInMs != null) await this.ctx.storage.setAlarm(Date.now() + alarmInMs);
    await this.ctx.storage.sync();
    this.ctx.abort("seeded for review 98");
  }
  async testRaw(prefix) {
    return Object.fromEntries(await this.ctx.storage.list({ prefix }));
  }
  async testAlarm() {
    return this.ctx.storage.getAlarm();
  }
}
// SLOW: the same providers under /slow, an app whose outbox retries every 30 s (lifecycle.outboxRetry), longer
// than workerd keeps an idle object in memory. Its onEvent records each event it is told.
const slowEvents = [];
const slow = createConnections({
  providers: (env) => {
    const clients = JSON.parse(env.CLIENTS), endpoints = JSON.parse(env.ENDPOINTS);
    return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
      ...credentials, endpoints: endpoints[provider], timeoutMs: 15000, ...(provider === "factorial" && { tokenKind: "user" }),
    }]));
  },
  authenticate: (request) => request.headers.get("x-test-user"), binding: "SLOW", basePath: "/slow",
  lifecycle: { outboxRetry: 30 }, maxConnections: 3,
  onEvent: async (event) => { slowEvents.push({ at: Date.now(), type: event.type, owner: event.owner }); },
});
const slowAlarms = [];
const slowConstructed = [];
export class SlowConnection extends slow.Connection {
  constructor(ctx, env) {
    super(ctx, env);
    slowConstructed.push({ at: Date.now(), id: ctx.id.toString() });
  }
  async alarm(info) {
    const run = { start: Date.now(), id: this.ctx.id.toString() };
    slowAlarms.push(run);
    await super.alarm(info);
    run.end = Date.now();
  }
  async testSeed(entries, alarmInMs) {
    await this.ctx.storage.put(entries);
    if (alarmInMs != null) await this.ctx.storage.setAlarm(Date.now() + alarmInMs);
    await this.ctx.storage.sync();
    this.ctx.abort("seeded for review 98");
  }
  async testAlarm() {
    return this.ctx.storage.getAlarm();
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const stub = (key) => env.PLAIN.get(env.PLAIN.idFromName(key));
    if (url.pathname === "/_test/alarms") return Response.json({ alarms, constructed });
    if (url.pathname === "/_test/slow") return Response.json({ alarms: slowAlarms, constructed: slowConstructed, events: slowEvents });
    if (url.pathname === "/_test/slowseed") {
      const { key, entries, inMs } = await request.json();
      const answer = await env.SLOW.get(env.SLOW.idFromName(key)).testSeed(entries, inMs).then(() => "ok", (e) => String(e));
      return Response.json({ answer });
    }
    if (url.pathname === "/_test/slowalarm") {
      const { key } = await request.json();
      return Response.json({ alarm: await env.SLOW.get(env.SLOW.idFromName(key)).testAlarm() });
    }
    if (url.pathname === "/_test/relay") {
      const { path, method = "GET", headers = {}, body } = await request.clone().json();
      if (path.startsWith("/slow")) return (await slow.handle(new Request(new URL(path, url), { method, headers, body }), env)) ?? new Response("not found", { status: 404 });
    }
    if (url.pathname === "/_test/seed") {
      const { key, entries, inMs } = await request.json();
      const answer = await stub(key).testSeed(entries, inMs).then(() => "ok", (e) => String(e));
      return Response.json({ answer });
    }
    if (url.pathname === "/_test/raw") {
      const { key, prefix } = await request.json();
      return Response.json({ raw: await stub(key).testRaw(prefix), alarm: await stub(key).testAlarm() });
    }
    return base.fetch(request, env, ctx);
  },
};
