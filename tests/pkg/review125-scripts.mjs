// Review 125: the full build's buddy `Heap` (src/wasm/raw.rs) driven directly through wasm-bindgen's allocator
// exports (__wbindgen_malloc / __wbindgen_free / __wbindgen_realloc, which call the global allocator), with its free
// lists read from memory and checked after each step. Used by review125.test.mjs (and by hand, bigger).
import { fullPointer } from "./stack.mjs";

// The address of `HEAP.free` (32 list heads) in the package's full build, found by `locate` from the module itself: it
// moves whenever the full build's static data moves.
export let LISTS;
export const INITIAL_PAGES = 17;

/** Sets `LISTS` from a spare instance of the package's module (imports that throw; the instance under test is not
 * touched): the words above the stack that one 1-byte request changes are list heads, the lowest class 3's (8 B, the
 * smallest: its head always changes, taken or split into). Throws unless they all fall in one 32-head array. */
export async function locate(pkg) {
  const { readFileSync } = await import("node:fs");
  const module = new WebAssembly.Module(readFileSync(new URL("partner_oauth_bg.wasm", pkg)));
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) (imports[i.module] ??= {})[i.name] = () => { throw new Error("import called: " + i.name); };
  const x = new WebAssembly.Instance(module, imports).exports, from = fullPointer(x).value >>> 2, to = INITIAL_PAGES * 16384;
  const before = new Uint32Array(x.memory.buffer).slice(from, to);
  if (x.__wbindgen_malloc(1, 1) === 0) throw new Error("locate: no block");
  const after = new Uint32Array(x.memory.buffer), changed = [];
  for (let i = from; i < to; i++) if (after[i] !== before[i - from]) changed.push(i * 4);
  const lists = changed[0] - 12;
  if (!changed.length || changed.at(-1) >= lists + 128) throw new Error("locate: changed words " + changed);
  return (LISTS = lists);
}

export async function full(pkg) {
  await locate(pkg);
  await import(pkg + "node.js");
  const { initSync } = await import(pkg + "partner_oauth.js");
  return initSync(); // already initialised: the (guarded) exports
}

// Every free block: [address, size, class]. Throws on a block misaligned to its class, outside the grown memory,
// below the initial memory, or a list longer than memory allows (a cycle).
export function freeBlocks(w) {
  const u32 = new Uint32Array(w.memory.buffer), end = w.memory.buffer.byteLength, out = [];
  for (let k = 0; k < 32; k++) {
    let b = u32[(LISTS >>> 2) + k] >>> 0, n = 0;
    while (b !== 0) {
      const size = 2 ** k;
      if (b % size !== 0) throw new Error(`class ${k}: block ${b} misaligned`);
      if (b < INITIAL_PAGES * 65536 || b + size > end) throw new Error(`class ${k}: block ${b} outside the heap`);
      out.push([b, size, k]);
      if (++n > end / 8) throw new Error(`class ${k}: cycle`);
      b = u32[b >>> 2] >>> 0;
    }
  }
  return out;
}

// No two blocks of `blocks` ([address, size]) overlap.
export function apart(blocks, what) {
  const s = [...blocks].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < s.length; i++) if (s[i - 1][0] + s[i - 1][1] > s[i][0]) throw new Error(`${what}: ${s[i - 1]} overlaps ${s[i]}`);
}

const classOf = (size, align) => { let c = 8; const need = Math.max(size, align, 8); while (c < need) c *= 2; return c; };

function xorshift(seed) { let s = seed >>> 0 || 1; return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; }; }

// A random mix of the full build's request sizes (small records, strings up to 4 KiB, buffers up to 128 KiB, token
// bodies up to BODY_MAX = 1 MiB and once in a while just over it), alignments 1 B to a page, frees in random order,
// reallocs up and down. Each live block is filled with words 0xA5xxxxxx (its id): a fresh block must hold none (no
// stale data; list links are addresses, below 0xA5000000), a block freed must still hold all of its own (no write
// into a live block). The lists are checked every `every` steps, and against the live blocks.
export function fuzz(w, { seed = 1, steps = 5000, maxLive = 300, every = 50, huge = true } = {}) {
  const r = xorshift(seed), live = [];
  let id = 0, checks = 0, reallocs = 0;
  const words = () => new Uint32Array(w.memory.buffer);
  const fill = (b) => { const u = words(); for (let i = b.ptr >>> 2, e = (b.ptr + b.size) >>> 2; i < e; i++) u[i] = (0xA5000000 | (b.id & 0xffffff)) >>> 0; };
  const fresh = (ptr, size, from = 0) => { const u = words(); for (let i = (ptr + from + 3) >>> 2, e = (ptr + size) >>> 2; i < e; i++) if (u[i] >>> 24 === 0xA5) throw new Error(`stale word ${u[i].toString(16)} at ${i * 4} in a block at ${ptr}`); };
  const intact = (b, upto = b.size) => { const u = words(), want = (0xA5000000 | (b.id & 0xffffff)) >>> 0; for (let i = b.ptr >>> 2, e = (b.ptr + upto) >>> 2; i < e; i++) if (u[i] >>> 0 !== want) throw new Error(`block ${b.id} at ${b.ptr}: word ${i * 4} is ${u[i].toString(16)}`); };
  const size = () => {
    const p = r() % 100;
    if (huge && p === 0) return (1 << 20) - 64 + (r() % 4096);
    if (p < 6) return r() % (128 << 10) + 1;
    if (p < 35) return r() % 4096 + 1;
    return r() % 200 + 1;
  };
  const check = () => {
    checks++;
    const free = freeBlocks(w);
    apart(free.concat(live.map((b) => [b.ptr, b.cls])), "free and live blocks");
  };
  for (let step = 0; step < steps; step++) {
    const op = r() % 10;
    if (live.length === 0 || (live.length < maxLive && op < 5)) {
      const s = size(), align = 2 ** (r() % 6 === 0 ? r() % 17 : r() % 4);
      const ptr = w.__wbindgen_malloc(s, align) >>> 0;
      if (ptr === 0 || ptr % align) throw new Error(`step ${step}: malloc(${s}, ${align}) = ${ptr}`);
      if (ptr + s > w.memory.buffer.byteLength) throw new Error(`step ${step}: block past memory`);
      fresh(ptr, s);
      const b = { ptr, size: s, align, cls: classOf(s, align), id: ++id };
      for (const o of live) if (ptr < o.ptr + o.size && o.ptr < ptr + s) throw new Error(`step ${step}: ${ptr} overlaps live ${o.ptr}`);
      fill(b); live.push(b);
    } else if (op < 8) {
      const b = live.splice(r() % live.length, 1)[0];
      intact(b);
      w.__wbindgen_free(b.ptr, b.size, b.align);
    } else {
      const b = live[r() % live.length], s = size();
      intact(b);
      const ptr = w.__wbindgen_realloc(b.ptr, b.size, s, b.align) >>> 0;
      reallocs++;
      if (ptr === 0 || ptr % b.align) throw new Error(`step ${step}: realloc`);
      const kept = Math.min(s, b.size);
      const nb = { ...b, ptr, size: s, cls: classOf(s, b.align) };
      intact(nb, kept & ~3);
      fresh(ptr, s, kept);
      for (const o of live) if (o !== b && ptr < o.ptr + o.size && o.ptr < ptr + s) throw new Error(`step ${step}: realloc overlaps`);
      Object.assign(b, nb); fill(b);
    }
    if (step % every === 0) check();
  }
  check();
  for (const b of live.splice(0)) { intact(b); w.__wbindgen_free(b.ptr, b.size, b.align); }
  check();
  return { pages: w.memory.buffer.byteLength / 65536, checks, reallocs, ids: id };
}

/** Words in free blocks that are neither 0 nor a list link (a link: at an offset that is a multiple of 8, an address
 * inside memory aligned to 8): a freed block holds nothing else (dealloc zeroes it; a joined block keeps its halves'
 * links). */
export function freeDirt(w) {
  const u = new Uint32Array(w.memory.buffer), end = w.memory.buffer.byteLength;
  let dirt = 0;
  for (const [b, size] of freeBlocks(w)) {
    for (let i = b >>> 2, e = (b + size) >>> 2; i < e; i++) {
      const v = u[i];
      if (v === 0) continue;
      if ((i & 1) === 0 && v % 8 === 0 && v >= INITIAL_PAGES * 65536 && v < end) continue;
      dirt++;
    }
  }
  return dirt;
}

// Every 0xA5 word left anywhere in memory (after all blocks were freed: none, each freed block is zeroed).
export function leftovers(w) {
  const u = new Uint32Array(w.memory.buffer); let n = 0;
  for (let i = 0; i < u.length; i++) if (u[i] >>> 24 === 0xA5 && (u[i] & 0xff000000) === 0xA5000000 && u[i] === (u[i] | 0xA5000000)) n++;
  return n;
}
// The full build's real workloads in adversarial alloc/free orders, the buddy's lists checked each round.
// soak(pkg, rounds, perRound, seed) -> { bad, pages per round, checks }. Clients (up to `maxLive`, secrets and ids of
// many lengths) made in bursts and freed evens-then-odds (buddies far apart in their lists), random, or LIFO; starts and
// callbacks (codes to 12 KB); token bodies ASCII and non-ASCII (the glue's ×3 realloc) up to BODY_MAX and just over;
// refresh, introspection and API calls through a fake fetch answering big bodies; HS256 JWTs with keys of many lengths.

export async function soak(pkg, rounds, perRound, seed = 5, maxLive = 200, lists = true, overflow = false) {
  const { raw, m } = await loaded(pkg), w = { memory: raw.memory };
  const { createHmac } = await import("node:crypto");
  let s = seed >>> 0;
  const rnd = (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const redirectUri = "https://app.example/cb";
  const b64 = (x) => Buffer.from(x).toString("base64url");
  const bad = [], pages = [];
  let checks = 0, nextBody = "", overflows = 0;
  // The op at the 40 frames nearest the stack's limit (review 123's `near`): overflows at many depths inside it.
  const near = (op) => { if (!overflow) return; let left = 40; const deep = () => { try { deep(); } catch {} if (left-- > 0) try { op(); } catch (e) { if (e instanceof RangeError) overflows++; } }; deep(); };
  const check = (what, got, want) => { if (got !== want && bad.length < 20) bad.push([what, String(got).slice(0, 60), String(want).slice(0, 60)]); };
  const fetch = async (url, init) => new Response(nextBody, { status: 200, headers: { "content-type": "application/json" } });
  let live = [];
  const make = () => {
    const id = "client-" + rnd(1e6) + "-" + "x".repeat(rnd(3) ? rnd(200) : rnd(480));
    const secret = "secret-" + rnd(1e9) + "s".repeat(rnd(4) ? rnd(300) : rnd(40000));
    const provider = rnd(2) ? "billit" : "payfit";
    return { c: new m.OAuthClient({ provider, clientId: id, clientSecret: secret, redirectUri, stateKey: ["k".repeat(32 + rnd(200))], fetch }), provider };
  };
  const dropSome = () => {
    const order = rnd(3);
    const gone = order === 0 ? live.filter((_, i) => i % 2 === 0).concat(live.filter((_, i) => i % 2 === 1))
      : order === 1 ? [...live].sort(() => rnd(3) - 1) : [...live].reverse();
    const keep = rnd(Math.max(1, live.length >> 2));
    for (const x of gone.slice(keep)) x.c.free();
    live = gone.slice(0, keep);
  };
  const token = (big, ascii) => {
    const n = big ? (1 << 20) - 300 - rnd(1 << 17) : rnd(6000);
    return ["at~" + rnd(1e9) + "a".repeat(ascii ? n : 40), ascii ? "" : "é".repeat(n >> 1)];
  };
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) {
      const k = rnd(12);
      if (k <= 1 || live.length === 0) {
        const burst = 1 + rnd(k === 0 ? 60 : 4);
        for (let b = 0; b < burst && live.length < maxLive; b++) live.push(make());
        if (rnd(10) === 0) near(() => { const x = make(); x.c.free(); });
      } else if (k === 2) {
        dropSome();
      } else if (k <= 4) {
        const { c } = live[rnd(live.length)];
        const payload = "p" + rnd(1e9) + "-".repeat(rnd(1500));
        if (rnd(10) === 0) near(() => c.startAuthorization({ payload }));
        const f = c.startAuthorization({ payload });
        const code = "code-" + rnd(1e9) + "c".repeat(rnd(4) ? rnd(2000) : 8000 + rnd(4000));
        if (rnd(10) === 0) near(() => c.parseCallback(`${redirectUri}?code=${code}&state=${f.state}`, f.pending));
        const cb = c.parseCallback(`${redirectUri}?code=${code}&state=${f.state}`, f.pending);
        check("code", cb.code, code);
        check("payload", cb.payload ?? payload, payload);
      } else if (k <= 6) {
        const { c } = live[rnd(live.length)];
        const [access, note] = token(rnd(8) === 0, rnd(2) === 0);
        const body = JSON.stringify({ access_token: access, token_type: "Bearer", expires_in: 3600, refresh_token: "rt~" + rnd(1e9), note });
        let t;
        if (rnd(8) === 0) near(() => c.parseTokenResponse({ status: 200, body }));
        try { t = c.parseTokenResponse({ status: 200, body }); } catch (e) { t = { accessToken: e.code }; }
        // Non-ASCII bodies over 1 MiB of UTF-8 are refused (input_too_large); the rest parse.
        check("access", t.accessToken, Buffer.byteLength(body) > 1 << 20 ? "input_too_large" : access);
        if (rnd(4) === 0) {
          let refused = "none";
          try { c.parseTokenResponse({ status: 200, body: body + " ".repeat(Math.max(1, (1 << 20) - Buffer.byteLength(body) + 1 + rnd(5000))) }); } catch (e) { refused = e.code; }
          check("over", refused, "input_too_large");
        }
      } else if (k <= 8) {
        const x = live[rnd(live.length)];
        const [access] = token(rnd(10) === 0, true);
        const kind = rnd(3);
        try {
          if (kind === 0 && x.provider === "billit") {
            nextBody = JSON.stringify({ access_token: access, token_type: "Bearer", expires_in: 3600, refresh_token: "rt2-" + rnd(1e9) });
            const t = await x.c.refresh("rt~" + rnd(1e9) + "r".repeat(rnd(3000)));
            check("refresh", t.accessToken, access);
          } else if (kind === 1 && x.provider === "payfit") {
            nextBody = JSON.stringify({ active: true, scope: "a b", client_id: "c", sub: "u".repeat(rnd(3000)) });
            const got = await x.c.introspect("it-" + rnd(1e9) + "i".repeat(rnd(3000)));
            check("introspect", got.active, true);
          } else {
            nextBody = "{}" + " ".repeat(rnd(100000));
            const res = await x.c.fetchApi(access, "/v1/things/" + rnd(1e6));
            check("api", res.status, 200);
            await res.text();
          }
        } catch (e) { if (!(kind === 1 && e.code)) check("io " + kind, e.code + ":" + e.message, "ok"); }
      } else {
        const key = "K".repeat(32 + rnd(3000)) + rnd(1e6);
        const claims = { sub: "user-" + rnd(1e9), exp: Math.floor(Date.now() / 1000) + 3600, aud: "api", x: "y".repeat(rnd(6000)) };
        const head = b64(JSON.stringify({ alg: "HS256", typ: "JWT" })), pay = b64(JSON.stringify(claims));
        const sig = createHmac("sha256", key).update(head + "." + pay).digest("base64url");
        const jwk = { kty: "oct", k: b64(key), alg: "HS256" };
        const got = await m.verifyAccessToken(`${head}.${pay}.${sig}`, { key: jwk, audience: "api", algorithms: ["HS256"] });
        check("jwt", got.sub, claims.sub);
      }
    }
    if (lists) { apart(freeBlocks(w), "free blocks, round " + r); checks++; }
    pages.push(w.memory.buffer.byteLength / 65536);
  }
  for (const { c } of live) c.free();
  if (lists) apart(freeBlocks(w), "free blocks at the end");
  if (globalThis.gc) for (let i = 0; i < 4; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
  // What is left in memory once every client is freed: secrets, state keys, codes, tokens, JWT keys and claims. The
  // tokens' markers hold a `~`, which base64url never writes: "at-" is three base64url characters, so random states and
  // challenges left in scratch memory can hold it (3 counts once in CI, none in ~20 runs here; not traced further).
  const bytes = Buffer.from(w.memory.buffer), count = (t) => { let c = 0, at = 0; while ((at = bytes.indexOf(t, at)) >= 0) { c++; at++; } return c; };
  const left = { secret: count("secret-"), stateKey: count("k".repeat(32)), code: count("code-"), access: count("at~"), refresh: count("rt~"), jwtKey: count("K".repeat(32)), sub: count("user-") };
  const dirt = lists ? freeDirt(w) : null;
  return { left, dirt, bad, pages, checks, overflows, lists: LISTS, sp: fullPointer(raw).value };
}

// The full build's module `m` and its raw exports (no guard between the test and the allocator), caught as the glue
// makes them.
async function loaded(pkg) {
  await locate(pkg);
  const Instance = WebAssembly.Instance, made = [];
  WebAssembly.Instance = new Proxy(Instance, { construct(t, a, n) { const i = Reflect.construct(t, a, n); made.push(i.exports); return i; } });
  const m = await import(pkg + "node.js");
  WebAssembly.Instance = Instance;
  return { raw: made[0], m };
}
const rawExports = async (pkg) => (await loaded(pkg)).raw;

/** Fuzzed seeds on one instance, the app growing memory now and then; all freed, the free blocks add up to every page
 * the heap grew (none lost, none listed twice). */
export async function fuzzRun(pkg, seeds, steps) {
  const w = await full(pkg);
  const out = [];
  for (const seed of seeds) {
    const r = fuzz(w, { seed, steps, every: 100 });
    if (seed % 3 === 0) w.memory.grow(seed % 7 + 1); // pages the heap never lists
    out.push(r.pages);
  }
  const free = freeBlocks(w), freeSum = free.reduce((a, b) => a + b[1], 0);
  const external = seeds.filter((s) => s % 3 === 0).reduce((a, s) => a + (s % 7 + 1), 0);
  return { pages: out, dirt: freeDirt(w), unlisted: w.memory.buffer.byteLength / 65536 - INITIAL_PAGES - external - freeSum / 65536, leftovers: leftovers(w) };
}

/** Overflows at many depths inside __wbindgen_malloc / free / realloc called raw: the lists stay valid and apart from
 * every block held; an unwound free or realloc loses its block (with its bytes) and nothing else. */
export async function unwindRun(pkg, N = 3000, rounds = 28) {
  const x = await rawExports(pkg), w = { memory: x.memory };
  const sp = fullPointer(x), top = sp.value;
  const cls = (size, align) => { let c = 8; while (c < Math.max(size, align)) c *= 2; return c; };
  const malloc = x.__wbindgen_malloc, free = x.__wbindgen_free, realloc = x.__wbindgen_realloc;
  const pads = [(f) => f(), (f) => f(1), (f) => f(1, 2), (f) => f(1, 2, 3), (f) => f(1, 2, 3, 4, 5), (f) => f(1, 2, 3, 4, 5, 6, 7), (f) => f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)];
  const u32 = () => new Uint32Array(x.memory.buffer);
  const out = {};
  let lostBefore = 0;
  for (const [name, size, align, newSize] of [["malloc", 100, 8, 0], ["malloc", 5000, 4096, 0], ["free", 100, 8, 0], ["free", 5000, 1, 0], ["realloc", 100, 1, 3000], ["realloc", 5000, 1, 40]]) {
    const ptrs = new Int32Array(N), got = new Int32Array(N), lost = new Int32Array(N), moved = new Int32Array(N);
    for (let k = 0; k < N; k++) { ptrs[k] = malloc(size, align); const u = u32(); for (let q = ptrs[k] >>> 2, e = (ptrs[k] + size) >>> 2; q < e; q++) u[q] = 0xA5C0FFEE; }
    let n = 0, i = 0, l = 0, m = 0, inner = 0;
    const op = name === "malloc" ? () => { if (n < N) { try { const p = malloc(size, align); got[n++] = p; } catch { inner++; } } }
      : name === "free" ? () => { if (i < N) { try { free(ptrs[i], size, align); i++; } catch { inner++; lost[l++] = ptrs[i++]; } } }
      : () => { if (i < N) { try { const q = realloc(ptrs[i], size, newSize, align); moved[m++] = q; i++; } catch { inner++; lost[l++] = ptrs[i++]; } } };
    const deep = () => { try { deep(); } catch {} try { op(); } catch {} };
    for (let r = 0; r < rounds; r++) { pads[r % pads.length](deep); sp.value = top; }
    const live = [];
    if (name === "malloc") { for (let k = 0; k < n; k++) live.push([got[k] >>> 0, cls(size, align)]); for (let k = 0; k < N; k++) live.push([ptrs[k] >>> 0, cls(size, align)]); }
    else { for (let k = i; k < N; k++) live.push([ptrs[k] >>> 0, cls(size, align)]); for (let k = 0; k < m; k++) live.push([moved[k] >>> 0, cls(newSize, align)]); }
    apart(freeBlocks(w).concat(live), name);
    const u = u32(); let keptBytes = 0; for (let k = 0; k < l; k++) if (u[(lost[k] >>> 2) + 2] === 0xA5C0FFEE) keptBytes++;
    for (const [p, c] of live) free(p, c, align);
    const fb = freeBlocks(w), freeSum = fb.reduce((a, b) => a + b[1], 0), grown = x.memory.buffer.byteLength - INITIAL_PAGES * 65536;
    const lostBytes = grown - freeSum - lostBefore;
    lostBefore += lostBytes;
    out[`${name} ${size}/${align}${newSize ? "->" + newSize : ""}`] = { done: name === "malloc" ? n : i, inner, lost: l, keptBytes, lostBytes, perBlock: l ? lostBytes / l : 0 };
  }
  return { out, sp: sp.value === top };
}

/** A body of `n` copies of `ch` handed to parseTokenResponse three times: the answers, the pages after each, and a
 * flow after. */
export async function hugeRun(pkg, n, ch = "a") {
  const x = await rawExports(pkg);
  const { OAuthClient } = await import(pkg + "node.js");
  const pages = () => x.memory.buffer.byteLength / 65536;
  const c = new OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s", redirectUri: "https://app.example/cb" });
  const out = [];
  for (let k = 0; k < 3; k++) {
    try { c.parseTokenResponse({ status: 200, body: ch.repeat(n) }); out.push("ok"); } catch (e) { out.push(e.code); }
    out.push(pages());
  }
  const f = c.startAuthorization({});
  out.push(c.parseCallback("https://app.example/cb?code=abc&state=" + f.state, f.pending).code);
  return out;
}

/** Alignment: 1 B to a page honoured, above a page refused (wasm-bindgen's malloc traps on the null). */
export async function alignRun(pkg) {
  const w = await full(pkg);
  const r = [];
  for (let log = 0; log <= 17; log++) {
    const align = 2 ** log;
    for (const size of [1, align, align + 1, 3 * align]) {
      try { const p = w.__wbindgen_malloc(size, align) >>> 0; r.push(p % align === 0 ? "aligned" : "MISALIGNED " + p); w.__wbindgen_free(p, size, align); }
      catch (e) { r.push(e.constructor.name); }
    }
  }
  apart(freeBlocks(w), "after");
  return r;
}

/** The buddy's worst order: 64 KiB live at most, filled with blocks of one class after another (32 KiB down to 8 B),
 * freed evens first then odds (a buddy is alone in its list or more than 8 links down: nothing joins), then a 64 KiB
 * block; `rounds` times. The pages after each round. */
export async function fragRun(pkg, rounds) {
  const w = await full(pkg);
  const out = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 15; k >= 3; k--) {
      const size = 2 ** k, n = 65536 / size, ptrs = [];
      for (let i = 0; i < n; i++) ptrs.push(w.__wbindgen_malloc(size, 8));
      for (let i = 0; i < n; i += 2) w.__wbindgen_free(ptrs[i], size, 8);
      for (let i = 1; i < n; i += 2) w.__wbindgen_free(ptrs[i], size, 8);
    }
    const p = w.__wbindgen_malloc(65536, 8);
    w.__wbindgen_free(p, 65536, 8);
    out.push(w.memory.buffer.byteLength / 65536);
  }
  apart(freeBlocks(w), "after");
  return { first: out.slice(0, 12), last: out.at(-1), dirt: freeDirt(w) };
}

/** Concurrent refreshes (token bodies to ~900 KB), API calls, RS256 checks over a 24-key JWKS and HS256 checks with keys
 * to 2 KB, 60 a round on 30 clients, a fake fetch answering after random delays (objects freed in the order the
 * network finishes): the answers, the lists after each round, the pages. */
export async function concurrentRun(pkg, rounds) {
  const { raw, m } = await loaded(pkg), w = { memory: raw.memory };
  const { generateKeyPairSync, createSign, createHmac } = await import("node:crypto");
  let seed = 3; const rnd = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const b64 = (x) => Buffer.from(x).toString("base64url");
  const rsa = Array.from({ length: 4 }, (_, i) => { const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 }); const jwk = publicKey.export({ format: "jwk" }); return { privateKey, jwk: { ...jwk, kid: "k" + i, alg: "RS256", use: "sig" } }; });
  const jwks = JSON.stringify({ keys: rsa.map((k) => k.jwk).concat(Array.from({ length: 20 }, (_, i) => ({ ...rsa[0].jwk, kid: "pad" + i, n: rsa[0].jwk.n }))) });
  const delay = () => new Promise((r) => setTimeout(r, rnd(8)));
  const fetch = async (url, init) => {
    await delay();
    const u = String(url);
    if (u.includes("jwks")) return new Response(jwks, { status: 200 });
    const body = init?.body ? String(init.body) : "";
    if (body.includes("refresh_token")) return new Response(JSON.stringify({ access_token: "AT" + rnd(1e9) + "a".repeat(rnd(3) ? rnd(5000) : 900000), token_type: "Bearer", expires_in: 3600, refresh_token: "RT" + rnd(1e9) }), { status: 200 });
    return new Response("{}" + " ".repeat(rnd(50000)), { status: 200 });
  };
  const redirectUri = "https://app.example/cb";
  const clients = Array.from({ length: 30 }, (_, i) => new m.OAuthClient({ provider: "billit", clientId: "c" + i + "x".repeat(rnd(300)), clientSecret: "SEC" + "s".repeat(rnd(3000)), redirectUri, fetch }));
  const bad = [], pages = [];
  const jwt = (i) => {
    const k = rsa[i % 4], claims = { sub: "u" + i, iss: "https://issuer.example", aud: "api", exp: Math.floor(Date.now() / 1000) + 600, x: "y".repeat(rnd(4000)) };
    const head = b64(JSON.stringify({ alg: "RS256", kid: "k" + (i % 4), typ: "JWT" })), pay = b64(JSON.stringify(claims));
    const sig = createSign("RSA-SHA256").update(head + "." + pay).sign(k.privateKey).toString("base64url");
    return [`${head}.${pay}.${sig}`, claims.sub];
  };
  for (let r = 0; r < rounds; r++) {
    const tasks = [];
    for (let i = 0; i < 60; i++) {
      const c = clients[rnd(clients.length)], kind = rnd(4);
      if (kind === 0) tasks.push(c.refresh("RT-" + rnd(1e9)).then((t) => { if (!t.accessToken.startsWith("AT")) bad.push("refresh"); }));
      else if (kind === 1) tasks.push(c.fetchApi("AT" + rnd(1e9), "/v1/x").then((res) => res.text()));
      else if (kind === 2) { const [t, sub] = jwt(i); tasks.push(m.verifyAccessToken(t, { jwks: "https://issuer.example/jwks", issuer: "https://issuer.example", audience: "api", algorithms: ["RS256"], fetch }).then((g) => { if (g.sub !== sub) bad.push("jwt"); })); }
      else { const key = "K".repeat(32 + rnd(2000)); const head = b64('{"alg":"HS256"}'), pay = b64(JSON.stringify({ sub: "h" + i, aud: "api", exp: Math.floor(Date.now() / 1000) + 600 }));
        const sig = createHmac("sha256", key).update(head + "." + pay).digest("base64url");
        tasks.push(m.verifyAccessToken(`${head}.${pay}.${sig}`, { key: { kty: "oct", k: b64(key) }, audience: "api", algorithms: ["HS256"] }).then((g) => { if (g.sub !== "h" + i) bad.push("hs"); })); }
    }
    const res = await Promise.allSettled(tasks);
    for (const x of res) if (x.status === "rejected" && bad.length < 10) bad.push(String(x.reason?.code || x.reason?.message).slice(0, 120));
    apart(freeBlocks(w), "round " + r);
    pages.push(w.memory.buffer.byteLength / 65536);
  }
  for (const c of clients) c.free();
  return { bad, pages, dirt: freeDirt(w) };
}
