// Review 137's scripts (tests/pkg/review137.test.mjs): what the full build's free() leaves of keys used by starts that
// app code nested deep in its own clock. Each runs in a child Node process on a package URL `pkg`, with the random
// bytes (xorshift) and the clock fixed, and answers a summary the test pins.
import { freeze, hmacSecrets as secrets } from "./frozen.mjs";
import { fullPointer, loadWithExports } from "./stack.mjs";

/** The full build (node.js) and its instance's exports. */
const load = (pkg) => loadWithExports(pkg, "node.js");

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
/** How far below the stack's top unwind.js' `w` zeroes (raw.rs' DEAD_STACK). */
const REACH = 65536;

/** The deep-nest test: `n + 1` keyed clients (one 32-byte key each); client 0 starts a flow, and app code's `via`
 * ("clock": Date.now, which the wasm calls early in a start; "random": crypto.getRandomValues, which the wasm's pool
 * calls ~17 KiB below its start's frame when it refills) starts client i + 1's flow from inside client i's, once each,
 * so the starts nest n deep, each below the last one's live frames. Once the outermost start has returned, every
 * client is freed (each free() an outermost export, which unwind.js follows with `w`). Answers the starts that threw,
 * whether the pointer went more than the wipe's reach below the stack's top, and every copy, anywhere in memory, of
 * any client's key, pads or SHA-256 states: per kind, the client's level and its offset below the top. */
export async function deepNest(pkg, n, via) {
  const { fill } = freeze(1371);
  const { m, raw } = await load(pkg);
  const top = fullPointer(raw).value;
  const keyOf = (i) => `deep137-${String(i).padStart(4, "0")}-`.repeat(3).slice(0, 32);
  const clients = Array.from({ length: n + 1 }, (_, i) => new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: keyOf(i) }));
  const clock = Date.now, entered = new Set(), errors = [];
  let level = 0, lowest = top;
  const nest = () => {
    lowest = Math.min(lowest, fullPointer(raw).value);
    const l = level;
    if (l < n && !entered.has(l)) {
      entered.add(l);
      level = l + 1;
      try {
        clients[l + 1].startAuthorization({ payload: `d${l + 1}` });
      } catch (e) {
        errors.push([l + 1, e.code ?? String(e)]);
      } finally {
        level = l;
      }
    }
  };
  const random = (a) => (nest(), fill(a));
  if (via === "clock") Date.now = () => (nest(), clock());
  else Object.defineProperty(globalThis.crypto, "getRandomValues", { value: random, configurable: true, writable: true });
  try {
    clients[0].startAuthorization({ payload: "d0" });
  } catch (e) {
    errors.push([0, e.code ?? String(e)]);
  } finally {
    Date.now = clock;
    Object.defineProperty(globalThis.crypto, "getRandomValues", { value: fill, configurable: true, writable: true });
  }
  for (const c of clients) c.free();
  const mem = Buffer.from(raw.memory.buffer);
  const found = {};
  for (let i = 0; i <= n; i++) {
    for (const [name, b] of Object.entries(secrets(keyOf(i)))) {
      let at = -1;
      while ((at = mem.indexOf(b, at + 1)) >= 0) (found[name] ??= []).push([i, at < top ? at - top : "heap"]);
    }
  }
  return { nested: entered.size, errors, belowReach: top - lowest > REACH, found };
}
