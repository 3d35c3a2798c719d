// Review 136's scripts (tests/pkg/review136-wipe-top.test.mjs): what free() leaves at the top of the shadow stack.
// Each runs in a child Node process on a package URL `pkg`, with the random bytes (xorshift) and the clock fixed, and
// answers a summary the test pins.
import { createHash } from "node:crypto";
import { freeze, hmacSecrets as secrets, pendingFields } from "./frozen.mjs";
import { fullPointer, loadWithExports as load } from "./stack.mjs";

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
/** How far below the stack's top both builds' free() wipes (raw.rs' DEAD_STACK). */
const REACH = 65536;

const pointer = (raw) => fullPointer(raw).value;

/** The planted test: after each kind of last call, every byte of the stack's top REACH bytes (or all of it) is set to 0xa5 (between
 * calls the whole region is dead: no export runs), then free(); answers, per last call, the offsets below the top of
 * the top 64 bytes left non-zero, and how many bytes below them. */
export async function planted(pkg, file) {
  freeze(1361);
  const { m, raw } = await load(pkg, file);
  const top = pointer(raw);
  // The page's stack is 4 KiB (tests/pkg/stack.mjs' PAGE_TOP): the wipe reaches all of it.
  const reach = Math.min(REACH, top);
  const out = {};
  for (const last of ["ctor", "start", "callback", "pkce", "twice"]) {
    const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: "k".repeat(32) });
    if (last !== "ctor" && last !== "twice") {
      const f = c.startAuthorization({ payload: "p136" });
      if (last === "callback") c.parseCallback(`${redirectUri}?code=c136&state=${f.state}`, f.pending);
      if (last === "pkce") m.pkceChallenge(m.newPkceVerifier());
    }
    if (last === "twice") c.free();
    new Uint8Array(raw.memory.buffer, top - reach, reach).fill(0xa5);
    c.free();
    const u = new Uint8Array(raw.memory.buffer, top - reach, reach);
    const top64 = [];
    let below = 0;
    for (let i = 0; i < reach; i++) if (u[i]) i >= reach - 64 ? top64.push(i - reach) : below++;
    out[last] = { top64, below, pointer: pointer(raw) === top };
  }
  return out;
}

/** The realistic test: a keyed client (one 32-byte key) makes a start and its callback, then free(): every copy, in
 * the whole memory, of its key, HMAC pads and midstates, the verifier, the code and the state. Then the same after a
 * previous export's frames left the key's opad block and midstates in the stack's top 64 bytes (written there, as a
 * frame of another layout could leave them). */
export async function realistic(pkg, file) {
  const { next } = freeze(1362);
  const { m, raw } = await load(pkg, file);
  const top = pointer(raw);
  const out = {};
  for (const planted of [false, true]) {
    const key = Array.from({ length: 32 }, () => String.fromCharCode(33 + (next() % 90))).join("").replace(/[\\"]/g, "q");
    const needles = secrets(key);
    const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: key });
    const f = c.startAuthorization({ payload: "p136" });
    const code = "CODE136" + next();
    c.parseCallback(`${redirectUri}?code=${code}&state=${f.state}`, f.pending);
    Object.assign(needles, { verifier: Buffer.from(pendingFields(f.pending).fields[5].slice(0, 24)), code: Buffer.from(code), state: Buffer.from(f.state.slice(0, 24)) });
    if (planted) Buffer.concat([needles.opad, needles.outerLE, needles.innerLE, needles.key]).copy(Buffer.from(raw.memory.buffer), top - 64);
    c.free();
    const mem = Buffer.from(raw.memory.buffer);
    const found = {};
    for (const [name, b] of Object.entries(needles)) {
      let i = -1;
      while ((i = mem.indexOf(b, i + 1)) >= 0) found[name] = [...(found[name] ?? []), i < top ? i - top : "heap"];
    }
    out[planted ? "planted" : "plain"] = found;
  }
  return out;
}

/** The full build, app code freeing a client during a call: a keyed client's start whose clock (Date.now, which the
 * wasm calls mid-start) frees it, with the stack's top 64 KiB set to 0xa5 first. Answers the start's outcome, the
 * non-zero bytes left in the top 64 KiB once it returned, and a later start's outcome. */
export async function nested(pkg) {
  freeze(1363);
  const { m, raw } = await load(pkg, "node.js");
  const top = pointer(raw);
  const out = {};
  for (const when of ["during", "after"]) {
    const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: "n".repeat(32) });
    const clock = Date.now;
    let calls = 0;
    Date.now = () => (when === "during" && ++calls === 1 && c.free(), clock());
    new Uint8Array(raw.memory.buffer, top - REACH, REACH).fill(0xa5);
    let answer;
    try {
      const f = c.startAuthorization({ payload: "p136" });
      answer = typeof f.state === "string" && f.pending.startsWith("p2.") ? "started" : "odd";
    } catch (e) {
      answer = e.code ?? String(e);
    }
    Date.now = clock;
    if (when === "after") c.free();
    const u = new Uint8Array(raw.memory.buffer, top - REACH, REACH);
    let left = 0;
    for (let i = 0; i < REACH; i++) if (u[i]) left++;
    let later;
    try {
      later = c.startAuthorization({}).state ? "started" : "odd";
    } catch (e) {
      later = e.code ?? String(e);
    }
    out[when] = { calls, answer, left, later, pointer: pointer(raw) === top };
  }
  return out;
}

/** The full build, a client dropped without free(): its FinalizationRegistry cleanup (`__wbg_oauthclient_free`, which
 * wasm-bindgen's glue calls once the client is collected) run by hand, after a keyed start and callback, with the
 * stack's top 64 KiB set to 0xa5 first. The registry is replaced before load by one that keeps each registration, so
 * the cleanup runs when the test says, as the collector would run it. Answers the non-zero bytes left in the top
 * 64 KiB, how many cleanups ran, and whether the pointer is back at the top. */
export async function collected(pkg) {
  freeze(1364);
  const Registry = globalThis.FinalizationRegistry, kept = [];
  globalThis.FinalizationRegistry = class {
    constructor(cleanup) { this.cleanup = cleanup; }
    register(target, held) { kept.push([this.cleanup, held]); }
    unregister() { return false; }
  };
  let m, raw;
  try {
    ({ m, raw } = await load(pkg, "node.js"));
  } finally {
    globalThis.FinalizationRegistry = Registry;
  }
  const top = pointer(raw);
  const from = kept.length;
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: "g".repeat(32) });
  const f = c.startAuthorization({ payload: "p136" });
  c.parseCallback(`${redirectUri}?code=c136&state=${f.state}`, f.pending);
  const cleanups = kept.slice(from).filter(([cleanup]) => String(cleanup).includes("oauthclient_free"));
  new Uint8Array(raw.memory.buffer, top - REACH, REACH).fill(0xa5);
  for (const [cleanup, held] of cleanups) cleanup(held);
  const u = new Uint8Array(raw.memory.buffer, top - REACH, REACH);
  let left = 0;
  for (let i = 0; i < REACH; i++) if (u[i]) left++;
  return { cleanups: cleanups.length, left, pointer: pointer(raw) === top };
}
