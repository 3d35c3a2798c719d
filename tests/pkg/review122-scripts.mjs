// Review 122's child scripts (tests/pkg/review122.test.mjs runs them in a child Node process with the package
// directory `pkg`; each answers a JSON-able value). The clock and crypto.getRandomValues are fixed before the package
// is imported. Every hash pinned in the test was 5492c7a's package's answer too (both builds).
import { createHash } from "node:crypto";

function seeded(seed) {
  let s = seed;
  Object.defineProperty(globalThis.crypto, "getRandomValues", { value: (a) => { const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); for (let i = 0; i < u.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; u[i] = s >>> 24; } return a; }, configurable: true, writable: true });
}
const R = "https://app.example/cb";
const answer = (c, url, pending) => {
  try { const v = c.parseCallback(url, pending); return "ok " + JSON.stringify([v.code, v.state, v.payload, v.payloadVerified, v.iss, v.flowId, v.flowExpiresAt]); }
  catch (e) { return `${e?.code ?? e?.constructor?.name}:${e?.message}|${e?.providerCode}|${e?.providerMessage}`; }
};
const tally = (rows) => { const kinds = {}; for (const a of rows) { const k = a.startsWith("ok ") ? "ok" : process.env.R122_MSG ? a.split("|")[0] : a.split(":")[0]; kinds[k] = (kinds[k] || 0) + 1; } return { n: rows.length, hash: createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16), kinds }; };

/** The code params: the payout preset's two names and billit's one, under overrides (none, [], one, the preset's
 * names reordered, names the preset lacks, duplicates, "", long lists), each under callbacks holding any subset of
 * the names with values present, empty or absent. The override replaces the preset's list. */
export async function codeParams(pkg, entry) {
  seeded(5); Date.now = () => 1765000000000;
  const m = await import(pkg + entry);
  const overrides = [undefined, [], ["code"], ["authorization_code"], ["x"], ["authorization_code", "code"], ["code", "authorization_code"], ["x", "code"], ["x", "x"], [""], ["", "code"], ["Code"], ["co%64e"], ["state"], ["iss"], ["error"], Array.from({ length: 40 }, (_, i) => "n" + i).concat(["x"])];
  const names = ["code", "authorization_code", "x", "n39", "x", ""];
  const vals = [null, "", "V", "%FF", "v%20w"];
  const rows = [], table = {};
  for (const provider of ["payout", "billit"]) for (const cp of overrides) {
    const o = { provider, clientId: "c", redirectUri: R }; if (cp) o.preset = { codeParams: cp };
    let c; try { c = new m.OAuthClient(o); } catch (e) { rows.push(`ctor ${e.code}:${e.message}`); continue; }
    const f = c.startAuthorization({});
    const key = provider + " " + JSON.stringify(cp ?? null);
    table[key] = [];
    for (let mask = 0; mask < 1 << 4; mask++) for (const v of vals.slice(1)) {
      const pairs = [];
      for (let i = 0; i < 4; i++) if (mask & (1 << i)) pairs.push(`${names[i]}=${i === 0 ? v : names[i].toUpperCase()}`);
      pairs.push(`state=${f.state}`);
      const a = answer(c, R + "?" + pairs.join("&"), f.pending);
      rows.push(a);
      if (v === "V") table[key].push(a.startsWith("ok ") ? (JSON.parse(a.slice(3))[0] === f.state ? "=state" : JSON.parse(a.slice(3))[0]) : a.split(":")[0]);
    }
    for (const extra of [`=V&state=${f.state}`, `x=1&x=2&state=${f.state}`, `code=V&code=W&state=${f.state}`, `state=${f.state}`]) rows.push(answer(c, R + "?" + extra, f.pending));
  }
  return { ...tally(rows), table };
}

/** Whole-URL callbacks (and paths, bare queries) with hostile shapes: schemes in any case, userinfo holding `?`,
 * `#`, `@` or percent-encoded ones, IPv6 and IPv4 hosts, ports, `?` and `#` in odd places, fragments holding `?`,
 * empty queries, `?#`, `#?`, `%3F`/`%23`, controls, backslashes, spaces. Fixed list then N seeded random ones (N = 0: the fixed list's answers, short). */
export async function urls(pkg, entry, N) {
  seeded(11); Date.now = () => 1765000000000;
  const m = await import(pkg + entry);
  const clients = [new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: R }), new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/a", token: "https://a.example/t" }, preset: { issuer: "https://idp.example" } })];
  const flows = clients.map((c) => c.startAuthorization({ payload: "p" }));
  let r = 777; const rnd = (n) => { r = (Math.imul(r, 1103515245) + 12345) >>> 0; return (r >>> 8) % n; };
  const pick = (a) => a[rnd(a.length)];
  const schemes = ["https://", "http://", "HTTPS://", "HtTp://", "https:/", "https:", "ftp://", "httpss://", "https:///", " https://", "https://\t", "http://@", "hTTps://", "wss://", "://", "https//", "HTTPS:\\\\"];
  const users = ["", "u@", "u:p@", "u?x@", "u#x@", "u%3Fx@", "u%23x@", "@", "a@b@", "u:p?#@", "%40@", ":@", "u/x@"];
  const hosts = ["app.example", "[::1]", "[::ffff:1.2.3.4]", "[::1", "::1]", "[fe80::1%25eth0]", "127.0.0.1", "0x7f.1", "1.2.3", "xn--bcher-kva.example", "APP.EXAMPLE", "a_b.example", "", "a..b", "app.example.", "[::1]x", "[v1.x]"];
  const ports = ["", ":443", ":0", ":65535", ":65536", ":", ":x", ":08"];
  const paths = ["", "/", "/cb", "/cb/", "/a?b/", "/%3F", "/%23", "/a#b/", "//x", "/?", "/a b", "/é", "/\\"];
  return ((run) => {
    const rows = [];
    const fixed = (f) => {
      const q = `code=C&state=${f.state}`;
      return [R + "?" + q, R + "?" + q + "#", R + "?" + q + "#x?y", R + "#?" + q, R + "?#" + q, R + "?", R + "?#", R + "#", R + "?" + q + "?", R + "??" + q, R + "?&" + q, "https://u?@app.example/cb?" + q, "https://u#@app.example/cb?" + q, "https://u:p@app.example/cb?" + q, "HTTPS://APP.EXAMPLE/cb?" + q, "https://[::1]/cb?" + q, "https://[::1]:8443?" + q, "https://[::1]?" + q, "https://app.example?" + q, "https://app.example#" + q, "https://app.example/cb%3F" + q, "https://app.example/cb%3F" + q.replace("&", "%26"), "https://app.example/cb?" + q.replace("=", "%3D"), "https://app.example/cb?x#" + q, "https://app.example/cb#x?" + q, "https://app.example/cb?" + q + "#code=D&state=" + f.state, "https://app.example/cb?" + q + "&iss=https://idp.example", "https://app.example/cb?" + q + "&iss=https%3A%2F%2Fidp.example", "?" + q + "&iss=https://idp.example", q + "&iss=https://idp.example", "/cb?" + q + "&iss=https://idp.example", "/cb#?" + q, "/cb?#" + q, "?#" + q, "#" + q, "?" + q + "#", "https://app.example/cb?" + q + " ", " https://app.example/cb?" + q, "https://app.example/c b?" + q, "https://app.example\\cb?" + q, "https://app.example/cb?" + q + "\u0000", "https://app.example/cb?" + q + "é", "https://%61pp.example/cb?" + q, "https://app.example:443/cb?" + q, "https://app.example:99999/cb?" + q, "x://app.example/cb?" + q, "javascript://x/?" + q, "https://?" + q, "https://#" + q, "https://@?" + q, "https:// ?" + q];
    };
    clients.forEach((c, i) => { for (const u of fixed(flows[i])) rows.push(run(c, u, flows[i].pending)); });
    const pieces = (f) => [`code=C`, `state=${f.state}`, `iss=https://idp.example`, `iss=https%3A%2F%2Fidp.example`, `code=`, `error=e`, `x=%3F%23`, `?`, `#`, `=`, `&`, `iss=HTTPS://idp.example`, "%23", "%3F"];
    for (let i = 0; i < N; i++) {
      const ci = rnd(2), c = clients[ci], f = flows[ci];
      const q = () => { const n = rnd(5); const a = []; for (let j = 0; j < n; j++) a.push(pick(pieces(f))); if (rnd(3)) a.splice(rnd(a.length + 1), 0, `state=${f.state}`, "code=C"); return a.join(rnd(4) ? "&" : pick(["&&", "?", "#"])); };
      const often = (a, usual) => (rnd(3) ? usual : pick(a));
      const head = rnd(6) ? often(schemes, "https://") + (rnd(2) ? "" : pick(users)) + often(hosts, pick(["app.example", "[::1]", "127.0.0.1"])) + (rnd(2) ? "" : pick(ports)) + often(paths, "/cb") : pick(["", "/", "/cb", "?", "#"]);
      const tail = pick(["?" + q(), "?" + q(), "#" + q(), "?" + q() + "#" + q(), "?#" + q(), "#?" + q(), "?" + q() + "?" + q(), "", "?", "#", "?#"]);
      rows.push(run(c, head + tail, f.pending));
    }
    return N === 0 ? rows.map((a) => (a.startsWith("ok ") ? "ok " + JSON.parse(a.slice(3))[0] : a.split("|")[0])) : tally(rows);
  })(answer);
}

/** Starts whose pending fields sit at the 0xFFFF bound: redirect URIs (client option) and payloads of many
 * lengths, with and without PKCE and a token kind; then a callback of each start (the three copies of the state
 * agree). Also 300 back-to-back starts alternating a long payload and none (no previous flow's bytes carried). */
export async function bounds(pkg, entry) {
  seeded(13); Date.now = () => 1765000000000;
  const m = await import(pkg + entry);
  const rows = [];
  const one = (c, so) => { try { const f = c.startAuthorization(so); const qs = new URL(f.url).searchParams; const st = qs.get("state"); return [f.url.length, f.state === st, f.pending.length, answer(c, R.replace(/\/cb$/, "") + "/cb?code=C&state=" + f.state, f.pending), createHash("sha256").update(f.url + f.pending + f.state + f.flowId).digest("hex").slice(0, 12)].join(" "); } catch (e) { return `${e?.code}:${e?.message}`; } };
  for (const n of [0, 1, 1000, 16000, 16300, 16384, 20000, 32767, 65400, 65487, 65488, 65489, 65490, 65500, 65513, 65514, 65515, 65516, 65517, 65534, 65535, 65536, 70000]) {
    for (const provider of ["billit", "custom"]) {
      const o = { provider, clientId: "c", redirectUri: "https://app.example/" + "a".repeat(n) };
      if (provider === "custom") Object.assign(o, { endpoints: { authorize: "https://a.example/a", token: "https://a.example/t" }, preset: { pkce: "unsupported" } });
      let c; try { c = new m.OAuthClient(o); } catch (e) { rows.push(`${n} ctor ${e?.code}:${e?.message}`); continue; }
      rows.push(`${n} ${provider} ` + one(c, {}));
    }
  }
  const c = new m.OAuthClient({ provider: "factorial", clientId: "c", redirectUri: R, stateKey: "k".repeat(32) });
  for (let i = 0; i < 300; i++) rows.push(one(c, i % 2 ? { payload: "é".repeat(1024), tokenKind: "company", scopes: ["a"] } : {}));
  for (const n of [0, 1, 2047, 2048, 2049]) rows.push(one(c, { payload: "x".repeat(n) }));
  return { n: rows.length, hash: createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16), first: process.env.R122_MSG ? rows.slice(0, 42) : rows.slice(0, 6).map((x) => x.slice(0, 60)) };
}
