// Review 138's scripts (tests/pkg/review138.test.mjs): helpers st52 (the start's state written once into its output
// buffer and copied within it; `seal_fields`' page-only `within`; `is_scope_token` as printable ASCII less `"` and `\`;
// the page exports answering through `Result<()>`) and cb52 (base64url read whole, `=` refused by the flag test; one
// `read_pairs` call site for the query then the fragment; the page's provider fields cut without a control filter; the
// page's base64 entries base64url-only; `split_at` by `split_at_checked`). Each runs in a child Node process on a
// package URL `pkg` with the random bytes (xorshift) and the clock fixed; run by hand against 4176818's packages
// (/tmp/rv138-old/pkg) they are the old/new differential oracle (`all` returns every answer for a per-case compare).
import { createHmac } from "node:crypto";
import { freeze, hash, outcome, codeOf, pendingFields, forgePending } from "./frozen.mjs";

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };

/** Hostile starts: payloads around the 2,048-byte limit (states near 2,810 bytes), scopes of every byte and of
 * non-ASCII characters, extra parameters, keyless and keyed; each accepted start parsed back. */
function starts(m, next) {
  const out = [];
  const keySets = [undefined, "k".repeat(32), ["a".repeat(33), "b".repeat(70)]];
  for (const stateKey of keySets) {
    for (const ru of [0, 1, 2]) {
      const c = new m.OAuthClient({ provider: "custom", clientId: "c".repeat(3 + ru), redirectUri: redirectUri + "/" + "r".repeat(ru), endpoints, ...(stateKey ? { stateKey } : {}) });
      const cb = (r, extra = "") => `${redirectUri}/${"r".repeat(ru)}?code=C&state=${encodeURIComponent(r.state)}${extra}`;
      const payloads = [];
      for (let n = 2040; n <= 2050; n++) payloads.push("p".repeat(n));
      for (let n = 1020; n <= 1026; n++) payloads.push("é".repeat(n)); // 2,040..2,052 bytes
      for (let n = 680; n <= 684; n++) payloads.push("✓".repeat(n)); // 2,040..2,052 bytes
      for (let n = 510; n <= 513; n++) payloads.push("😀".repeat(n)); // 2,040..2,052 bytes
      payloads.push("", "\u0000", "\u2028", "a=b&c", "%", "\uFFFD", "x".repeat(3), "p".repeat(2047) + "é".slice(0, 1));
      for (const payload of payloads) {
        const r = outcome(() => c.startAuthorization({ payload }));
        const back = r && r.state ? outcome(() => c.parseCallback(cb(r), r.pending)) : null;
        out.push(["payload", payload.length, r, back, r && r.state ? r.state.length : null]);
      }
      // Scopes: every byte alone and inside a token, non-ASCII characters, separators, many.
      for (let b = 0; b < 256; b++) {
        const ch = String.fromCharCode(b);
        for (const scope of [ch, `a${ch}b`]) {
          const r = outcome(() => c.startAuthorization({ scopes: [scope, "z"] }));
          out.push(["scope", b, r && r.url ? r.url.length : r, r && r.url ? new URL(r.url).searchParams.get("scope") : null]);
        }
      }
      for (const scopes of [[""], ["a b"], ["\u2028"], ["é"], ["😀"], Array(100).fill("s"), Array(101).fill("s"), ["a\"b"], ["a\\b"], ["~"], ["!"], ["#"]]) {
        const r = outcome(() => c.startAuthorization({ scopes }));
        out.push(["scopes", scopes.length, r]);
      }
      // Extra parameters: plain, repeated in casing, the library's own, controls and non-ASCII, long.
      for (const params of [{ prompt: "consent" }, { STATE: "x" }, { state: "x" }, { Code_Challenge: "x" }, { "a&b": "c=d" }, { "\u0000": "\u0001" }, { é: "😀" }, { long: "v".repeat(5000) }, { "": "" }, { redirect_uri: "x" }, { scope: "x" }]) {
        const r = outcome(() => c.startAuthorization({ params, payload: "p".repeat(2048) }));
        const back = r && r.state ? outcome(() => c.parseCallback(cb(r), r.pending)) : null;
        out.push(["params", Object.keys(params)[0], r, back]);
      }
      c.free();
    }
  }
  // Long redirect URIs and client ids: the pending value's fields around their limits.
  for (const len of [400, 511, 512, 513, 5000, 6000, 65_000, 65_534, 65_535, 65_536]) {
    const r = outcome(() => {
      const c = new m.OAuthClient({ provider: "custom", clientId: "c".repeat(Math.min(len, 600)), redirectUri: redirectUri + "/" + "r".repeat(len), endpoints });
      const f = c.startAuthorization({ payload: "p".repeat(2048) });
      const back = outcome(() => c.parseCallback(`${redirectUri}/${"r".repeat(len)}?code=C&state=${f.state}`, f.pending));
      c.free();
      return [f.url.length, f.state.length, f.pending.length, pendingFields(f.pending)?.fields.map((x) => x?.length ?? null), back && codeOf(back)];
    });
    out.push(["long", len, r]);
  }
  return out;
}

/** Mutations of a base64url text: `=` inserted at every position (and padded tails), `+` and `/` for `-` and `_` or
 * any symbol, cut by 1..3, a symbol appended. */
function mutations(text, next) {
  const out = [];
  const step = Math.max(1, Math.floor(text.length / 40));
  for (let i = 0; i <= text.length; i += step) out.push(text.slice(0, i) + "=" + text.slice(i));
  out.push(text + "=", text + "==", text + "===", text + "=".repeat(4));
  for (let i = 0; i < text.length; i += step) {
    out.push(text.slice(0, i) + "+" + text.slice(i + 1), text.slice(0, i) + "/" + text.slice(i + 1));
  }
  out.push(text.replaceAll("-", "+"), text.replaceAll("_", "/"));
  for (const k of [1, 2, 3]) out.push(text.slice(0, -k));
  out.push(text + "A", text + "AA", text + "AAA", text + "AAAA", text + "Q", text + "B");
  // The last symbol's unused bits set.
  const last = text.at(-1), al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  out.push(text.slice(0, -1) + al[(al.indexOf(last) + 1) % 64], text.slice(0, -1) + al[(al.indexOf(last) ^ 1)]);
  for (let i = 0; i < 8; i++) {
    const at = next() % text.length;
    out.push(text.slice(0, at) + al[next() % 64] + text.slice(at + 1));
  }
  return out;
}

/** Hostile callbacks on keyless and keyed clients' flows: mutated states and pending values, fragments, duplicates,
 * provider error text with controls, U+2028, lengths around 256 characters and multi-byte characters at the cut. */
function callbacks(m, next) {
  const out = [];
  for (const stateKey of [undefined, ["k".repeat(32), "j".repeat(40)]]) {
    const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, ...(stateKey ? { stateKey } : {}) });
    for (const payload of [undefined, "p", "pq", "é".repeat(1024)]) {
      const f = c.startAuthorization(payload === undefined ? {} : { payload });
      const q = (x) => `${redirectUri}?${x}`;
      const st = encodeURIComponent(f.state);
      out.push(["ok", outcome(() => c.parseCallback(q(`code=C&state=${st}`), f.pending))]);
      const [sb, ss] = f.state.split(".");
      for (const s of mutations(sb, next)) {
        const state = ss === undefined ? s : `${s}.${ss}`;
        out.push(["state", state === f.state, outcome(() => c.parseCallback(q(`code=C&state=${encodeURIComponent(state)}`), f.pending))]);
        out.push(["stateRaw", state === f.state, outcome(() => c.parseCallback(q(`code=C&state=${state}`), f.pending))]);
      }
      if (ss !== undefined) for (const s of mutations(ss, next)) out.push(["stateMac", s === ss, outcome(() => c.parseCallback(q(`code=C&state=${encodeURIComponent(sb + "." + s)}`), f.pending))]);
      const [pp, pb, pm] = f.pending.split(".");
      for (const s of mutations(pb, next)) {
        const pending = [pp, s, ...(pm === undefined ? [] : [pm])].join(".");
        out.push(["pending", pending === f.pending, outcome(() => c.parseCallback(q(`code=C&state=${st}`), pending))]);
      }
      if (pm !== undefined) for (const s of mutations(pm, next)) out.push(["pendingMac", s === pm, outcome(() => c.parseCallback(q(`code=C&state=${st}`), `${pp}.${pb}.${s}`))]);
      // Forged pending values: the same fields unsealed, another state, a state field of every length near a limit.
      const pf = pendingFields(f.pending);
      for (const fields of [pf.fields, pf.fields.map((x, i) => (i === 3 ? f.state + "x" : x)), pf.fields.map((x, i) => (i === 3 ? null : x)), pf.fields.map((x, i) => (i === 3 ? "s".repeat(4097) : x))]) {
        const forged = forgePending(pf.created, fields);
        out.push(["forged", outcome(() => c.parseCallback(q(`code=C&state=${st}`), forged))]);
        if (stateKey) {
          const body = forged.slice(3);
          const mac = createHmac("sha256", stateKey[1]).update("partner-oauth pending v1\0").update(forged).digest("base64url");
          out.push(["forgedOtherKey", outcome(() => c.parseCallback(q(`code=C&state=${st}`), `p2.${body}.${mac}`))]);
        }
      }
      // Where the parameters are: fragments, duplicates, empty pieces, odd separators.
      for (const url of [
        `${redirectUri}#code=C&state=${st}`, `${redirectUri}?x=1#code=C&state=${st}`, `${redirectUri}?#code=C`, `${redirectUri}?x=1#x=2`,
        `${redirectUri}?x=1#code=%01`, `${redirectUri}?x=1#code=C&code=D`, `${redirectUri}?x=1#%FF=1&code=C`, `${redirectUri}?x=1#`, `${redirectUri}#`, `${redirectUri}?`,
        `?code=C&state=${st}`, `code=C&state=${st}`, `/cb?code=C&state=${st}`, `/cb?code=C&state=${st}#frag`, `#code=C`, `#`, `?`, ``, `/`, `&&&code=C&&state=${st}&&`,
        q(`code=C&state=${st}&code=D`), q(`code=C&state=${st}&state=${st}`), q(`code=C&state=${st}&x=1&x=2`), q(`code=C&state=${st}&iss=https://as.example`),
        q(`code=C&state=${st}&iss=https://as.example&iss=x`), q(`code&state=${st}`), q(`code=&state=${st}`), q(`=C&state=${st}`), q(`code=C%00&state=${st}`),
        q(`code=C&state=${st}%00`), q(`code=C&state=${st}&x=%01`), q(`code=C&state=${st}&%01=x`), q(`code=C&state=${st}&x=%C2%85`), q(`code=C&state=${st}&x=%E2%80%A8`),
        q(`code=C&state=${st}&x=%FF`), q(`code=C&state=${st}&x=%EF%BF%BD`), q(`code=C&state=${st}&x=%ZZ`), q(`code=C%E2%80%A8&state=${st}`), q(`code=C+D&state=${st}`),
        q(`authorization_code=C&state=${st}`), q(`state=${st}`), q(`code=C`), q(`code=C&state=`), q(`code=C&state`),
        q(`code=C&state=${st}`) + "x".repeat(16_384), q(`code=C&state=${st}&pad=`) + "x".repeat(16_384 - q(`code=C&state=${st}&pad=`).length), q(`code=C&state=${st}&pad=`) + "x".repeat(16_385 - q(`code=C&state=${st}&pad=`).length),
      ]) out.push(["where", url.slice(0, 80), url.length, outcome(() => c.parseCallback(url, f.pending))]);
      // Provider errors: controls, U+2028, invalid UTF-8, lengths around 256 characters, multi-byte characters at the cut.
      const texts = ["access_denied", "server_error", "", "%01", "a%7Fb", "a%C2%85b", "a%C2%A0b", "%E2%80%A8%E2%80%A9", "%FF", "%C3", "%EF%BF%BD", "a%0Ab", "a%09b", "a+b", "%E2%80%AE", "\u2028", "%F0%9F%98%80"];
      for (const ch of ["d", "%C3%A9", "%E2%9C%93", "%F0%9F%98%80", "%E2%80%A8"]) for (let n = 250; n <= 260; n++) texts.push(ch.repeat(n), "d".repeat(n - 1) + ch, "d".repeat(255) + ch.repeat(n - 250));
      texts.push("d".repeat(5000), "%C3%A9".repeat(3000));
      for (const t of texts) {
        out.push(["error", t.slice(0, 24), t.length, outcome(() => c.parseCallback(q(`error=access_denied&error_description=${t}&state=${st}`), f.pending))]);
        out.push(["errorCode", t.slice(0, 24), t.length, outcome(() => c.parseCallback(q(`error=${t}&state=${st}`), f.pending))]);
        out.push(["errorFrag", t.slice(0, 24), outcome(() => c.parseCallback(`${redirectUri}#error=${t}`, f.pending))]);
      }
    }
    c.free();
  }
  return out;
}

/** Every answer of the starts and the callbacks, in order, for a per-case compare of two packages. */
export async function all(pkg, file = "page-node.js", seed = 1381) {
  const { next } = freeze(seed);
  const m = await import(pkg + file);
  return [...starts(m, next), ...callbacks(m, next)];
}

/** `all`'s answers hashed, with a tally of their codes. */
export async function summary(pkg, file = "page-node.js", seed = 1381) {
  const out = await all(pkg, file, seed);
  const tally = {};
  for (const r of out) {
    const k = r[0] + ":" + codeOf(r.at(-1));
    tally[k] = (tally[k] ?? 0) + 1;
    // A changed state or pending value accepted.
    if (r[1] === false && codeOf(r.at(-1)) === "ok") tally.changedAccepted = (tally.changedAccepted ?? 0) + 1;
  }
  return { n: out.length, sha: hash(out), tally };
}

/** Random callbacks built from hostile pieces (percent escapes of controls, U+2028, invalid UTF-8, `=` `&` `#` `?` `+`
 * `/`, multi-byte characters, base64url states and pending values cut, padded and re-symbolled), random PKCE verifiers of
 * every byte, random starts: `n` of each, every answer in order. */
export async function random(pkg, file = "page-node.js", seed = 1382, n = 3000) {
  const { next } = freeze(seed);
  const m = await import(pkg + file);
  const pick = (a) => a[next() % a.length];
  const out = [];
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: ["k".repeat(32), "j".repeat(40)] });
  const u = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const flows = [c, u].flatMap((cl) => [undefined, "p", "é".repeat(700), "p".repeat(2048)].map((payload) => [cl, cl.startAuthorization(payload ? { payload } : {})]));
  const pieces = ["=", "&", "#", "?", "+", "/", "%", "%2", "%3D", "%26", "%23", "%01", "%00", "%1F", "%7F", "%C2%85", "%C2%A0", "%E2%80%A8", "%FF", "%C3", "%C3%A9", "%EF%BF%BD", "%F0%9F%98%80", "é", "\u2028", "😀", "-", "_", ".", "A", "Q", "z", "0", "code", "state", "error", "error_description", "iss", "authorization_code", "=="];
  const mutate = (t) => {
    let s = t;
    for (let k = next() % 3; k >= 0; k--) {
      const at = next() % (s.length + 1);
      switch (next() % 5) {
        case 0: s = s.slice(0, at) + pick(["=", "+", "/", "-", "_", ".", "A", "%3D", "=="]) + s.slice(at); break;
        case 1: s = s.slice(0, at) + s.slice(at + 1); break;
        case 2: s = s.slice(0, at) + pick(["=", "+", "/", "A", "B", "g", "w"]) + s.slice(at + 1); break;
        case 3: s = s.slice(0, Math.max(0, s.length - 1 - (next() % 3))); break;
        default: break;
      }
    }
    return s;
  };
  for (let i = 0; i < n; i++) {
    const [cl, f] = pick(flows);
    let q = "";
    const pairs = 1 + (next() % 5);
    for (let p = 0; p < pairs; p++) {
      const name = pick(["code", "state", "error", "error_description", "iss", "x", pick(pieces)]);
      let value = "";
      if (name === "state") value = next() % 2 ? encodeURIComponent(mutate(f.state)) : f.state;
      else if (name === "error_description") { const ch = pick(["d", "%C3%A9", "%E2%9C%93", "%F0%9F%98%80", "%E2%80%A8", "%01"]); value = ch.repeat(250 + (next() % 12)) + (next() % 4 ? "" : pick(pieces)); }
      else for (let k = next() % 6; k > 0; k--) value += pick(pieces);
      q += (p ? pick(["&", "&", "&&", "#", ";"]) : "") + name + (next() % 8 ? "=" : "") + value;
    }
    const base = pick([redirectUri + "?", redirectUri + "#", "?", "", "/cb?", redirectUri + "?x=1#"]);
    const pending = next() % 3 ? f.pending : mutate(f.pending);
    out.push(["cb", outcome(() => cl.parseCallback(base + q, pending))]);
  }
  for (let i = 0; i < n / 10; i++) {
    let v = "";
    const len = 40 + (next() % 92);
    for (let k = 0; k < len; k++) v += next() % 8 ? pick(["a", "-", ".", "_", "~", "9"]) : String.fromCharCode(next() % 256);
    out.push(["pkce", outcome(() => m.pkceChallenge(v))]);
  }
  for (let i = 0; i < n / 10; i++) {
    const scopes = Array.from({ length: next() % 4 }, () => { let s = ""; for (let k = 1 + (next() % 4); k > 0; k--) s += String.fromCharCode(next() % 10 ? 0x20 + (next() % 0x60) : next() % 0x110); return s; });
    const payload = next() % 2 ? "p".repeat(2040 + (next() % 12)) : undefined;
    const params = next() % 2 ? { [pick(["prompt", "State", "x", "nonce", "code_challenge"])]: pick(["", "a b", "é", "%"]) } : undefined;
    const cl = pick([c, u]);
    const r = outcome(() => cl.startAuthorization({ scopes, payload, params }));
    out.push(["start", r, r && r.state ? codeOf(outcome(() => cl.parseCallback(`${redirectUri}?code=C&state=${r.state}`, r.pending))) : null]);
  }
  c.free();
  u.free();
  return out;
}

/** `random`'s answers hashed, with a tally of their codes. */
export async function randomSummary(pkg, file = "page-node.js", seed = 1382, n = 3000) {
  const out = await random(pkg, file, seed, n);
  const tally = {};
  for (const r of out) {
    const k = r[0] + ":" + codeOf(r[1]);
    tally[k] = (tally[k] ?? 0) + 1;
  }
  return { n: out.length, sha: hash(out), tally };
}
