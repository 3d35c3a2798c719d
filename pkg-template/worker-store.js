// The one owner of a connection object's storage keys ("Worker storage" in
// CONTRIBUTING.md lists them, their shapes and the order of writes): load and
// save, the event outbox, and the alarm. Only this file maps a transition's
// change to keys; the object (worker-connection.js) hands it what
// lifecycle.js's `transition` returned.
import { nextAlarm, reconnectForecast } from "./lifecycle.js";

/** The stored names. `tokens` is `{ k, iv, ct }` (sealed.js), never plain. */
export const KEYS = Object.freeze({
  key: "key", conn: "conn", flows: "flows", tokens: "tokens", holder: "holder", events: "event:", owned: "owned:",
  indexed: "indexed",
});

export class Store {
  #storage;
  #id;
  #delivery;
  #lifecycle;
  /** Events stored and not yet delivered to every sink. */
  #outbox = 0;
  /** Events stored since the object started: a pass keeps counting those stored after it listed (review 93 A). */
  #stored = 0;
  /** The flush running, if any, and whether another was asked for meanwhile. */
  #flushing = { running: null, again: false };
  /** The millisecond of the last event key: each key's is later (workerd's clock stands still
   * between I/O, and keys order delivery: review 80). */
  #lastKeyAt = 0;
  /** The record of the last commit applied (commits apply in order). */
  #latest = null;
  /** The key of the last event the owner index took (KEYS.indexed), and its pass as `#flushing`. */
  #indexed = "";
  #indexing = { running: null, again: false };

  /** `storage()`: the object's storage (a subclass may wrap it); `id`: the object's id,
   * named in events; `delivery`: { onEvent, queue, env, object, index, log } (index and
   * log: worker-owners.js's withOwners). */
  constructor(storage, id, delivery, lifecycle) {
    this.#storage = storage;
    this.#id = id;
    this.#delivery = delivery;
    this.#lifecycle = lifecycle;
  }

  get storage() {
    return this.#storage();
  }

  /** `{ key, record: { conn, flows } }` as stored (absent: null and {}). */
  async load() {
    const got = await this.storage.get([KEYS.key, KEYS.conn, KEYS.flows, KEYS.indexed]);
    const outbox = await this.storage.list({ prefix: KEYS.events });
    this.#outbox = outbox.size;
    this.#indexed = got.get(KEYS.indexed) ?? "";
    // A restarted object keys its events after those it left and the last one indexed (keys sort in order).
    for (const name of [this.#indexed, ...outbox.keys()]) {
      this.#lastKeyAt = Math.max(this.#lastKeyAt, Number(name.slice(KEYS.events.length, KEYS.events.length + 15)) || 0);
    }
    const record = { conn: got.get(KEYS.conn) ?? null, flows: got.get(KEYS.flows) ?? {} };
    // Events left by a reset (before their index pass, say): the outbox's alarm, not the next change, tells them.
    if (this.#outbox > 0) await this.schedule(record, { earlierOnly: true });
    return { key: got.get(KEYS.key) ?? null, record };
  }

  /** Binds the object to its connection key, once. */
  async bind(key) {
    await this.storage.put(KEYS.key, key);
  }

  /** The sealed tokens `{ k, iv, ct }`, or undefined. */
  async sealedTokens() {
    return this.storage.get(KEYS.tokens);
  }

  /**
   * Writes what a transition changed, in one batch: the record's parts, the
   * new `sealed` tokens ("put") and its events; a "delete" of the tokens goes
   * out in the same tick (no await between), so nothing sees one without the
   * other. `written()` runs in the same tick as the write (the object keeps
   * what it wrote in memory before any event is delivered). Then the owner
   * index's pass, the log, the delivery, then the alarm. `defer`: the delivery
   * waits for `release()` (a refresh's, while it holds its slot) or the alarm,
   * and its log records are not waited for.
   */
  async apply({ record, changed, events }, sealed = null, written = null, defer = false) {
    this.#latest = record;
    const entries = {};
    if (changed.conn) entries[KEYS.conn] = record.conn;
    if (changed.flows) entries[KEYS.flows] = record.flows;
    if (changed.tokens === "put") entries[KEYS.tokens] = sealed;
    const now = Date.now();
    for (const type of events) {
      const [name, entry] = this.#eventEntry(type, record.conn, now, type === "reconnect_due" ? this.#forecast(record.conn) : {});
      entries[name] = entry;
      this.#outbox++;
      this.#stored++;
    }
    const deleted = changed.tokens === "delete" ? this.storage.delete(KEYS.tokens) : null;
    const put = Object.keys(entries).length ? this.storage.put(entries) : null;
    // Nothing written (an event that did not apply): memory keeps what it had.
    if (put || deleted) written?.();
    await put;
    await deleted;
    // The owner index has them before this answers: its pass waits for no app code, the log sink's neither
    // (review 95); an error leaves them behind its cursor for the alarm (this change is stored).
    if (events.length) await this.index().catch(() => {});
    // The sink is app code too: a deferred commit (a refresh's in its slot, the restart's in the object's
    // construction) does not wait for it, as for onEvent (review 100 A). A commit waits for its own records only:
    // behind an earlier one's, a sink that calls this object, or hangs, would hold every later answer (review 101).
    if (events.length) {
      const logged = this.#delivery.log?.(events, record.conn);
      if (!defer) await logged;
      else logged?.catch(() => {});
    }
    // A flush already running delivers these too (it passes again): joining it would make this commit wait for
    // the delivery of earlier events, whose onEvent may await a call that waits for this one (review 91 A).
    // Stored either way: what a delivery's storage error leaves waits for the alarm set below (review 96).
    if (events.length && !defer && this.#flushing.running) this.flush().catch(() => {});
    else if (events.length && !defer) await this.flush().catch(() => {});
    // The latest record, not this commit's: one that waited for a flush may schedule after newer commits (review 92).
    if (changed.alarm || (events.length && this.#outbox > 0)) await this.schedule(this.#latest);
  }

  /** Delivers what deferred commits left, then sets the alarm; joins no running delivery (it passes again).
   * Never throws: the refresh it follows is stored, and the alarm its commit set retries (review 93 S2). */
  async release() {
    try {
      if (this.#flushing.running) this.flush().catch(() => {});
      else if (this.#outbox > 0 && this.#latest) {
        await this.flush();
        await this.schedule(this.#latest);
      }
    } catch { /* left in the outbox */ }
  }

  /** An event that is no transition (grant_orphaned: a grant whose tokens could not be stored). */
  async tell(type, who, extra, record) {
    const [name, entry] = this.#eventEntry(type, who, Date.now(), extra);
    this.#outbox++;
    this.#stored++;
    await this.storage.put(name, entry);
    await this.#delivery.log?.([type], who);
    // As a commit's: a running delivery takes it, and a storage error leaves it for the alarm (the consent's own
    // error is the one its caller throws: review 97).
    if (this.#flushing.running) this.flush().catch(() => {});
    else await this.flush().catch(() => {});
    await this.schedule(this.#latest ?? record);
  }

  /** What `reconnect_due` adds: why, and when the grant must end (ISO 8601). */
  #forecast(conn) {
    const forecast = reconnectForecast(conn, this.#lifecycle);
    return { reason: forecast?.reason ?? null, endsAt: forecast ? new Date(forecast.endsAt).toISOString() : null };
  }

  /** An event's storage name and entry (`event:<15-digit ms, later than the last key's>:<uuid>`). */
  #eventEntry(type, conn, now, extra = {}) {
    const id = crypto.randomUUID();
    const { onEvent, queue } = this.#delivery;
    this.#lastKeyAt = Math.max(now, this.#lastKeyAt + 1);
    return [`${KEYS.events}${String(this.#lastKeyAt).padStart(15, "0")}:${id}`, {
      event: {
        id, type, connection: this.#id, provider: conn.provider, label: conn.label, owner: conn.owner,
        at: new Date(now).toISOString(), state: conn.state, cause: conn.cause ?? null, code: conn.lastError?.code ?? null, ...extra,
      },
      delivered: { hook: !onEvent, queue: !queue, index: !this.#delivery.index },
    }];
  }

  /** The owner index's pass: the stored events after the last it took, in key order, until one fails (which
   * holds back the later ones). Single-flight, and the only writer of KEYS.indexed; it never waits for a hook. */
  index() {
    return this.#delivery.index ? passes(this.#indexing, () => this.#indexOnce()) : Promise.resolve();
  }

  async #indexOnce() {
    for (const [name, entry] of await this.storage.list({ prefix: KEYS.events })) {
      if (name <= this.#indexed) continue;
      // Taken before the index had its own pass (`delivered.index`), or no index then.
      if (entry.delivered.index !== true) {
        try { await this.#delivery.index(entry.event); } catch { break; }
      }
      // Stored at each: a reset mid-pass retakes only the last, never an older one after a newer (review 95).
      await this.storage.put(KEYS.indexed, name);
      this.#indexed = name;
    }
  }

  /** Delivers stored events (at least once); what fails stays for the alarm.
   * Single-flight: a flush asked for while one runs makes that one pass again
   * (two passes at once would each set the counter to what they alone left). */
  flush() {
    if (this.#outbox === 0 && !this.#flushing.running) return Promise.resolve();
    return passes(this.#flushing, () => this.#deliver());
  }

  /** One pass over every stored event; the counter becomes what this pass left, and what was stored since. */
  async #deliver() {
    const { onEvent, queue, env, object } = this.#delivery;
    await this.index().catch(() => {}); // what it did not take is counted below, and stays
    const stored = this.#stored;
    const pending = await this.storage.list({ prefix: KEYS.events });
    let left = 0;
    for (const [name, entry] of pending) {
      const delivered = { ...entry.delivered };
      if (!delivered.hook) {
        try { await onEvent(entry.event, env()); delivered.hook = true; } catch { /* retried by the alarm */ }
      }
      if (!delivered.queue) {
        try { await queue(env(), object).send(entry.event); delivered.queue = true; } catch { /* retried by the alarm */ }
      }
      // The index's pass is the only one to move its cursor: an event past it stays until it takes it.
      if (delivered.hook && delivered.queue && (delivered.index === true || name <= this.#indexed)) await this.storage.delete(name);
      else {
        left++;
        if (["hook", "queue"].some((sink) => delivered[sink] !== entry.delivered[sink])) await this.storage.put(name, { ...entry, delivered });
      }
    }
    // Events stored since it listed (a deferred commit's, say) are not in this pass's list: still to deliver.
    this.#outbox = left + this.#stored - stored;
  }

  /** The one alarm: refresh, backoff, re-wrap, flow expiry and the outbox (lifecycle.js's nextAlarm).
   * `earlierOnly` (a load): an alarm set at or before that time stays. An alarm that wakes an evicted object runs
   * its load() before workerd arms the handler, and moving that alarm cancels the handler (review 98). */
  async schedule({ conn, flows }, { earlierOnly = false } = {}) {
    const now = Date.now();
    const at = nextAlarm(conn, {
      flowExpiries: Object.values(flows).map((f) => f.expiresAt),
      outboxPending: this.#outbox > 0, now,
    }, this.#lifecycle);
    const set = earlierOnly ? await this.storage.getAlarm() : null;
    if (set !== null && (at === null || set <= at)) return;
    if (at === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(at);
  }
}

/** Runs `pass` one at a time (`slot`: `{ running, again }`): asked for while one runs, that one passes again (two
 * at once would each set what they alone saw); resolves when no one asked again. */
function passes(slot, pass) {
  if (slot.running) {
    slot.again = true;
    return slot.running;
  }
  slot.running = (async () => {
    try {
      do {
        slot.again = false;
        await pass();
      } while (slot.again);
    } finally {
      slot.running = null;
    }
  })();
  return slot.running;
}

/** A company index object's one key: who holds the company's one token. */
export class IndexStore {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  async holder() {
    return (await this.#storage().get(KEYS.holder)) ?? null;
  }

  async setHolder(holder) {
    await this.#storage().put(KEYS.holder, holder);
  }

  async clearHolder() {
    await this.#storage().delete(KEYS.holder);
  }
}

/** An owner index object's entries (worker-owners.js): `owned:<connection key>` →
 * `{ provider, label, until }`, `until` null for a connection, else when a reservation lapses. */
export class OwnerStore {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  async entries() {
    const listed = await this.#storage().list({ prefix: KEYS.owned });
    return [...listed].map(([name, entry]) => ({ key: name.slice(KEYS.owned.length), ...entry }));
  }

  async put(key, entry) {
    await this.#storage().put(KEYS.owned + key, entry);
    return {};
  }

  async remove(...keys) {
    await this.#storage().delete(keys.map((key) => KEYS.owned + key));
    return {};
  }
}
