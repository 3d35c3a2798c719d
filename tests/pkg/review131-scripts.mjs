// Review 131's scripts (tests/pkg/review131.test.mjs): helper il49's page-only `inline(always)`s and helper ur49's
// `read_number` (u32::MAX as "no number"). Each runs in a child process on a package URL `pkg` with the random bytes
// (xorshift) and clock fixed; run by hand against d6f1564's (/tmp/review128-old/pkg) and af2084e's packages they are
// the old/new differential oracle.
import { createHash } from "node:crypto";
import { xorshift } from "./frozen.mjs";

const hash = (x) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);
const freeze = (seed) => {
  const r = xorshift(seed);
  Date.now = () => 1765000000000;
  return r;
};
const outcome = (f) => {
  try {
    const r = f();
    return r === undefined ? "undefined" : JSON.parse(JSON.stringify(r));
  } catch (e) {
    if (e && e.code) return ["ERR", e.code, e.message];
    return ["THROW", e?.name ?? String(e), String(e?.message).slice(0, 100)];
  }
};

/** Edge ports and hosts: every port and IPv4 form the brief names. */
export const PORTS = ["", ":", ":0", ":00", ":000000", ":1", ":01", ":080", ":443", ":65535", ":065535", ":0065535", ":65536", ":99999",
  ":100000", ":4294967295", ":4294967296", ":18446744073709551616", ":" + "9".repeat(40), ":" + "0".repeat(40) + "80", ":80a", ":8.0",
  ":80.", ":a80", ":0x50", ":+80", ":-1", ":80 ", ": 80", ":٨٠", ":８０", ":80/", ":80:80", "::80", ":1e3", ":%38%30"];
export const HOSTS = ["as.example", "127.0.0.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "1.2.3.4.5", "1.2.3", "4294967295",
  "4294967296", "0x7f.0.0.1", "0x7f000001", "0177.0.0.1", "01.2.3.4", "1.2.3.04", "00.0.0.0", "1.2.3.4.", "1..2.3", "1.2.3.4a",
  "1.2.3.a4", "١.٢.٣.٤", "１.２.３.４", "999.1.1.1", "1.2.3." + "9".repeat(30), "[::1]", "[::ffff:1.2.3.4]", "[::ffff:1.2.3.256]",
  "[::ffff:01.2.3.4]", "[1:2:3:4:5:6:7:10000]", "[::fffff]", "[0::00000]", "[1:2:3:4:5:6:1.2.3.4]", "x.1", "x.0x1", "x.09"];

/** 1: the constructor's redirectUri, endpoints and issuer, a start and a callback (and its iss) over edge URLs. */
export async function urlEdges(pkg, entry) {
  freeze(1311);
  const m = await import(pkg + entry);
  const out = [];
  const base = { clientId: "cid", provider: "custom", redirectUri: "https://app.example/cb", endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" } };
  const good = new m.OAuthClient(base);
  for (const scheme of ["https://", "http://"]) for (const h of HOSTS) for (const p of PORTS) {
    const u = `${scheme}${h}${p}/x`;
    const row = [u];
    row.push(outcome(() => { const c = new m.OAuthClient({ ...base, redirectUri: u }); return c.startAuthorization({}).url; }));
    row.push(outcome(() => { const c = new m.OAuthClient({ ...base, endpoints: { ...base.endpoints, authorize: u } }); return c.startAuthorization({}).url; }));
    row.push(outcome(() => { new m.OAuthClient({ ...base, endpoints: { ...base.endpoints, token: u } }); return "ok"; }));
    const iss = `${scheme}${h}${p}`;
    row.push(outcome(() => { new m.OAuthClient({ ...base, preset: { issuer: iss } }); return "ok"; }));
    const f = good.startAuthorization({});
    row.push(outcome(() => good.parseCallback(`${u}?code=c&state=${f.state}`, f.pending)));
    // A client whose issuer is the edge origin, sent back that `iss`, the host without the port, and the port with a
    // leading zero.
    for (const back of [iss, `${scheme}${h}`, `${scheme}${h}:0${p.slice(1)}`])
      row.push(outcome(() => { const c = new m.OAuthClient({ ...base, preset: { issuer: iss } }); const s = c.startAuthorization({}); return c.parseCallback(`https://app.example/cb?code=c&state=${s.state}&iss=${encodeURIComponent(back)}`, s.pending); }));
    // A client whose redirectUri is the edge URL, called back on it, on its host without the port, and on the
    // default port written out.
    for (const back of [u, `${scheme}${h}/x`, `${scheme}${h}${scheme === "https://" ? ":443" : ":80"}/x`, `${scheme}${h}:0${p.slice(1)}/x`])
      row.push(outcome(() => { const c = new m.OAuthClient({ ...base, redirectUri: u }); const s = c.startAuthorization({}); return c.parseCallback(`${back}?code=c&state=${s.state}`, s.pending); }));
    out.push(row);
  }
  const tally = {};
  for (const r of out) for (const a of r.slice(1)) { const k = Array.isArray(a) ? a[1] : "ok"; tally[k] = (tally[k] ?? 0) + 1; }
  return { n: out.length, sha: hash(out), tally, out };
}

/** 2: fuzzed constructor options (state key counts and lengths, endpoints, providers and environments) and a start. */
export async function optionFuzz(pkg, entry, seed, n) {
  freeze(seed);
  const m = await import(pkg + entry);
  let z = seed >>> 0 || 1; // the choices' own xorshift32, apart from the package's random bytes
  const rnd = (k) => ((z ^= z << 13), (z ^= z >>> 17), (z ^= z << 5), (z >>>= 0)) % k;
  const pick = (a) => a[rnd(a.length)];
  const providers = ["custom", "custom", "custom", "payout", "payfit", "factorial", "tropipay", "billit", "google", "", undefined, "Payout"];
  const envs = [undefined, undefined, undefined, "production", "sandbox", "demo", "staging", "", 1];
  const str = () => pick(["k", "x", "é", "K"]).repeat(pick([0, 31, 32, 32, 33, 64, 65, 256, 1000]));
  const keys = () => pick([undefined, undefined, str(), [], [str()], [str(), str()], [str(), str(), str()], Array.from({ length: 1 + rnd(9) }, str), 5, null]);
  const url = () => pick(["https://as.example/a", "https://as.example/a", "https://as.example/a", "http://as.example/a", "https://as.example:65535/a", "https://as.example:65536/a",
    "https://1.2.3.4/a", "https://01.2.3.4/a", "https://as.example:/a", "https://[::1]:0/a", "ftp://x/a", "", "https://a.example/a?x=1#f"]);
  const out = [];
  for (let i = 0; i < n; i++) {
    const o = { clientId: pick(["cid", "cid", "cid", "", "c".repeat(300)]), provider: pick(providers) };
    if (rnd(4)) o.redirectUri = pick(["https://app.example/cb", "http://localhost:8080/cb", "https://app.example:0/cb", "app://x"]);
    const env = pick(envs); if (env !== undefined) o.environment = env;
    if (o.provider === "custom" || rnd(4) === 0) o.endpoints = pick([{ authorize: url(), token: url() }, { authorize: url(), token: url() }, { authorize: url() }, {}, null]);
    const k = keys(); if (k !== undefined) o.stateKey = k;
    if (rnd(3) === 0) o.preset = pick([{}, { issuer: "x" }, { issuer: "https://as.example:0443" }, { issuer: "https://1.2.3.4:65535" }]) && o.preset; if (rnd(3) === 0) o.preset = { issuer: pick(["https://as.example", "https://as.example:443", "https://as.example:65536", "x"]) };
    out.push(outcome(() => { const c = new m.OAuthClient(o); const s = c.startAuthorization(pick([{}, { payload: "p" }, { scopes: ["x"] }, { scopes: ["a b"] }, { payload: "p".repeat(3000) }])); return [s.url, s.state, String(s.pending)]; }));
  }
  const tally = {};
  for (const a of out) { const k = a[0] === "ERR" ? a[1] : "ok"; tally[k] = (tally[k] ?? 0) + 1; }
  return { n, sha: hash(out), tally };
}
