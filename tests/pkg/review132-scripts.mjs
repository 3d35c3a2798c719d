// Review 132's scripts (tests/pkg/review132.test.mjs): helper pd50's page-build grants as a bit set (`Grants`,
// `Supported::bit`, `Preset::supports`) and one out-of-line `preset::named` for environments and token kinds. Each
// runs in a child process on a package URL `pkg` with the random bytes (xorshift) and clock fixed; run by hand
// against d6f1564's (/tmp/review128-old/pkg) and 4cbd456's packages they are the old/new differential oracle.
import { codeOf, freeze, hash, outcome, outcomeAsync, pendingFields } from "./frozen.mjs";


export const NAMES = ["authorization_code", "refresh_token", "client_credentials", "introspection", "revocation"];
export const PROVIDERS = {
  payfit: ["production"],
  payout: ["production", "sandbox", "production-id", "sandbox-id"],
  factorial: ["production", "demo"],
  tropipay: ["production", "sandbox"],
  billit: ["production", "sandbox"],
  custom: ["default"],
};
/** The `grants` overrides: absent, every subset of the five names in order and reversed, duplicates, unknowns. */
export const GRANTS = [undefined];
for (let m = 0; m < 32; m++) {
  const list = NAMES.filter((_, i) => m & (1 << i));
  GRANTS.push(list, [...list].reverse());
}
GRANTS.push([...NAMES, ...NAMES], ["authorization_code", "authorization_code"], ["revocation", "revocation", "revocation"],
  ["refresh_token", "client_credentials", "refresh_token"], ["AUTHORIZATION_CODE"], ["Authorization_Code"], ["password"],
  ["implicit"], [""], ["authorization_code "], [" authorization_code"], ["authorization_code\u0000"], ["authorization-code"],
  ["code"], ["token"], ["introspect"], ["revoke"], ["authorization_code", "password"], [1], [null], [true], [["authorization_code"]],
  [{}], "authorization_code", "", null, 5, {}, ["urn:ietf:params:oauth:grant-type:jwt-bearer"], ["authorizationCode"],
  ["company"], ["production"], Array(9).fill("introspection"), Array(300).fill("refresh_token"));
const ENVS = [undefined, "production", "sandbox", "demo", "production-id", "sandbox-id", "default", "company", "user", "Production", "", "x", null, 1];
const TOKEN = JSON.stringify({ access_token: "at", token_type: "bearer", refresh_token: "rt", active: true });
const fakeFetch = (log) => async (url, init) => {
  log.push([String(url), init?.method, String(init?.body ?? ""), JSON.stringify(init?.headers ?? {})]);
  return new Response(TOKEN, { status: 200, headers: { "content-type": "application/json" } });
};

/** 1: every provider, environment and `grants` override: construct, start, and in the full build each grant's request. */
export async function grantMatrix(pkg, entry) {
  freeze(1321);
  const m = await import(pkg + entry);
  const full = entry === "node.js";
  const out = [];
  for (const [provider, own] of Object.entries(PROVIDERS)) for (const environment of ENVS) for (const grants of GRANTS) {
    // Another preset's environment (or none of any): the override does not matter, a few suffice.
    if (environment !== undefined && !own.includes(environment) && GRANTS.indexOf(grants) > 2) continue;
    const o = { clientId: "cid", provider, redirectUri: "https://app.example/cb" };
    if (environment !== undefined) o.environment = environment;
    if (provider === "custom") o.endpoints = { authorize: "https://as.example/a", token: "https://as.example/t", introspect: "https://as.example/i", revoke: "https://as.example/r" };
    if (grants !== undefined) o.preset = { grants };
    const row = [provider, environment ?? "-", grants === undefined ? "-" : grants];
    let c;
    row.push(outcome(() => ((c = new m.OAuthClient(full ? { ...o, clientSecret: "sec" } : o)), "ok")));
    if (c) {
      row.push(outcome(() => { const s = c.startAuthorization({ scopes: ["a", "b"] }); return [s.url, s.state, String(s.pending)]; }));
      if (full) {
        const log = [];
        const d = new m.OAuthClient({ ...o, clientSecret: "sec", fetch: fakeFetch(log) });
        // The flow is started by a client without the override (its start may be refused).
        const { grants: _, ...preset } = o.preset ?? {};
        const h = new m.OAuthClient({ ...o, preset });
        const s = h.startAuthorization({});
        const back = h.parseCallback(`https://app.example/cb?code=c&state=${s.state}`, s.pending);
        h.free();
        row.push(outcome(() => d.codeRequest(back, s.pending)));
        row.push(outcome(() => d.refreshRequest("rt")));
        row.push(await outcomeAsync(() => d.exchangeCode(back, s.pending)));
        row.push(await outcomeAsync(() => d.refresh("rt")));
        row.push(await outcomeAsync(() => d.clientCredentials({ scopes: ["x"] })));
        row.push(await outcomeAsync(() => d.introspect("at")));
        row.push(await outcomeAsync(() => d.revoke("at")));
        row.push(log);
        d.free();
      }
      c.free();
    }
    out.push(row);
  }
  const tally = {};
  for (const r of out) for (const a of r.slice(3)) if (!(Array.isArray(a) && Array.isArray(a[0]))) { const k = codeOf(a); tally[k] = (tally[k] ?? 0) + 1; }
  // Per provider, with no override and with each single name: the start's code, and in the full build the code
  // request's, the refresh request's, then the exchanges' (code, refresh, client credentials, introspect, revoke).
  const starts = {};
  for (const r of out) if (r[1] === "-" && (r[2] === "-" || (Array.isArray(r[2]) && r[2].length <= 1 && r[2].every((g) => NAMES.includes(g)))))
    starts[`${r[0]} ${r[2] === "-" ? "-" : r[2][0] ?? "[]"}`] = r.slice(4).filter((a) => !(Array.isArray(a) && Array.isArray(a[0])) && !(Array.isArray(a) && a.length === 0)).map(codeOf).join(" ");
  return { n: out.length, sha: hash(out), tally, starts };
}

const KINDS = [undefined, "company", "user", "Company", "USER", "User", "COMPANY", "", " company", "company ", "user\u0000", "ｃompany",
  "production", "demo", "sandbox", "default", "x", "companyuser", "compan", "usera", null, 1, ["company"], { name: "company" }, "production-id"];

/** 2: every provider, environment (token kinds' names among them) and `tokenKind` (start option): the start, its pending
 * value's recorded fields, its callback, and (full build, or the page's pending value carried to it) the code request and
 * the token's expiry the recorded kind decides. */
export async function kindMatrix(pkg, entry) {
  freeze(1322);
  const m = await import(pkg + entry);
  const full = entry === "node.js" ? m : await import(pkg + "node.js");
  const out = [];
  for (const [provider, own] of Object.entries(PROVIDERS)) for (const environment of [...new Set([undefined, ...own, "company", "user", "Company", "", "x"])]) for (const tokenKind of KINDS) {
    const o = { clientId: "cid", provider, redirectUri: "https://app.example/cb" };
    if (environment !== undefined) o.environment = environment;
    if (provider === "custom") o.endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
    const row = [provider, environment ?? "-", tokenKind === undefined ? "-" : tokenKind];
    let c;
    row.push(outcome(() => ((c = new m.OAuthClient(o)), "ok")));
    if (c) {
      let s;
      row.push(outcome(() => { s = c.startAuthorization(tokenKind === undefined ? {} : { tokenKind }); return [s.url, s.state, String(s.pending)]; }));
      if (s) {
        const f = pendingFields(s.pending);
        row.push(f && [String(f.created), f.fields]);
        const cb = `https://app.example/cb?code=c&state=${s.state}`;
        row.push(outcome(() => { const r = c.parseCallback(cb, s.pending); return [r.code, r.payload, r.iss]; }));
        const log = [];
        const d = new full.OAuthClient({ ...o, clientSecret: "sec", fetch: fakeFetch(log) });
        let back = null;
        row.push(outcome(() => ((back = d.parseCallback(cb, s.pending)), "ok")));
        row.push(outcome(() => d.codeRequest(back, s.pending)));
        row.push(await outcomeAsync(() => d.exchangeCode(back, s.pending)));
        row.push(log);
        d.free();
      }
      c.free();
    }
    out.push(row);
  }
  const tally = {};
  for (const r of out) for (const a of r.slice(3, 5)) { const k = codeOf(a); tally[k] = (tally[k] ?? 0) + 1; }
  // The recorded kind (the pending value's fields) and the authorize URL's resource_owner_type, per accepted kind.
  const recorded = {};
  for (const r of out) if (r.length > 4 && codeOf(r[4]) === "ok") {
    const url = new URL(r[4][0]);
    recorded[`${r[0]} ${r[1]} ${typeof r[2] === "string" ? r[2] : JSON.stringify(r[2])}`] = [url.searchParams.get("resource_owner_type"), codeOf(r[9]), Array.isArray(r[9]) ? null : r[9]?.expiresAt ?? null];
  }
  return { n: out.length, sha: hash(out), tally, recorded };
}

/** 3: fuzzed option sets (provider, environment, `preset.grants`, tokenKind, other overrides and start options), each
 * constructed and started; in the full build also its code, refresh and client credentials requests. */
export async function fuzz(pkg, entry, seed, n) {
  freeze(seed);
  const m = await import(pkg + entry);
  const isFull = entry === "node.js";
  let z = seed >>> 0 || 1;
  const rnd = (k) => ((z ^= z << 13), (z ^= z >>> 17), (z ^= z << 5), (z >>>= 0)) % k;
  const pick = (a) => a[rnd(a.length)];
  const providers = [...Object.keys(PROVIDERS), ...Object.keys(PROVIDERS), "custom", "factorial", "factorial", "Factorial", "company", "production"];
  const envs = [undefined, undefined, ...new Set(Object.values(PROVIDERS).flat()), "company", "user", "", "PRODUCTION", 0];
  const grantsOf = () => pick([undefined, undefined, pick(GRANTS.slice(0, 65)), pick(GRANTS.slice(0, 65)), pick(GRANTS), Array.from({ length: rnd(7) }, () => pick([...NAMES, ...NAMES, ...NAMES, "password", "company"]))]);
  const out = [];
  for (let i = 0; i < n; i++) {
    const o = { clientId: pick(["cid", "cid", "cid", "cid", "cid", "cid", ""]), provider: pick(providers) };
    if (rnd(6)) o.redirectUri = pick(["https://app.example/cb", "https://app.example/cb?x=1", "http://localhost/cb"]);
    const env = rnd(3) ? pick([undefined, ...(PROVIDERS[o.provider] ?? [])]) : pick(envs); if (env !== undefined) o.environment = env;
    if (o.provider === "custom" || rnd(5) === 0) o.endpoints = pick([{ authorize: "https://as.example/a", token: "https://as.example/t" }, { authorize: "https://as.example/a" }, {}]);
    const p = {};
    const g = grantsOf(); if (g !== undefined) p.grants = g;
    if (rnd(4) === 0) p.pkce = pick(["required", "supported", "unsupported", "unsupported"]);
    if (rnd(4) === 0) p.responseType = pick([true, false]);
    if (rnd(5) === 0) p.authorizeParams = pick([{ resource_owner_type: "user" }, { a: "b" }, {}]);
    if (rnd(5) === 0) p.scopeSeparator = pick([",", " ", "+"]);
    if (Object.keys(p).length || rnd(8) === 0) o.preset = p;
    if (isFull && rnd(2)) o.clientSecret = "sec";
    const so = {};
    const k = o.provider === "factorial" || rnd(4) === 0 ? pick([undefined, "company", "user", "company", "user", ...KINDS]) : undefined;
    if (k !== undefined) so.tokenKind = k;
    if (rnd(4) === 0) so.params = pick([{ prompt: "login" }, { resource_owner_type: "user" }, { Resource_Owner_Type: "x" }]);
    if (rnd(3) === 0) so.scopes = pick([["a"], ["a", "b"], []]);
    out.push(outcome(() => {
      const c = new m.OAuthClient(o);
      try {
        const s = c.startAuthorization(so);
        const row = [s.url, s.state, String(s.pending)];
        if (isFull) {
          row.push(outcome(() => c.codeRequest(c.parseCallback(`https://app.example/cb?code=c&state=${s.state}`, s.pending), s.pending)));
          row.push(outcome(() => c.refreshRequest("rt")));
        }
        return row;
      } finally {
        c.free();
      }
    }));
  }
  const tally = {};
  for (const a of out) { const k = codeOf(a); tally[k] = (tally[k] ?? 0) + 1; }
  return { n, sha: hash(out), tally };
}
