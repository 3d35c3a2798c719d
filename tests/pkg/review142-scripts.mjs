// Review 142's differential: every refusal of the page's public API, each error's own properties.
import { freeze, hash } from "./frozen.mjs";

const KINDS = () => [undefined, null, true, false, 0, -1, 1.5, NaN, 10n, Symbol("s"), {}, [], ["a"], () => "f", new String("s"), new Date(0), Object.create(null)];
const shape = (v) => {
  try { return JSON.parse(JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x)) ?? "undefined"); } catch { return String(v); }
};
const own = (e) => {
  if (!e || typeof e !== "object") return ["THROWN", String(e)];
  const o = {};
  for (const k of Reflect.ownKeys(e)) if (k !== "stack") o[String(k)] = shape(e[k]);
  return ["ERR", e.constructor?.name, Object.getPrototypeOf(e)?.constructor?.name, e.name, o];
};
const outcome = (f) => { try { return ["OK", shape(f())]; } catch (e) { return own(e); } };

export async function pageAll(pkg, seed = 1420) {
  freeze(seed);
  const m = await import(pkg + "page-node.js");
  const { OAuthClient, newPkceVerifier, pkceChallenge } = m;
  const out = [];
  const redirectUri = "https://app.example/cb";
  const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
  const base = { clientId: "cid", redirectUri };
  const providers = ["payfit", "payout", "factorial", "tropipay", "billit", "custom", "nope", "", "PAYOUT", "__proto__", "constructor"];
  const envs = [undefined, "production", "sandbox", "production-id", "sandbox-id", "demo", "test", "moon", "", "__proto__"];
  const clientKeys = ["provider", "environment", "clientId", "clientSecret", "redirectUri", "stateKey", "stateMaxAge", "endpoints", "preset", "timeoutMs", "dangerouslyAllowSecretInBrowser", "fetch"];
  const presetKeys = ["grants", "responseType", "scopeSeparator", "pkce", "authorizeParams", "clientAuth", "tokenBody", "codeParams", "redirectUriQueryAllowed", "neverExpires", "defaultLifetime", "refreshTokenLifetime", "introspection", "issuer"];
  const epKeys = ["authorize", "token", "introspect", "revoke", "api"];
  const ctor = (o, tag) => out.push(["ctor", tag, outcome(() => { const c = new OAuthClient(o); const r = [c.provider, c.environment]; c.free(); return r; })]);
  // Whole options of 15+ kinds.
  for (const [i, v] of KINDS().entries()) ctor(v, `options#${i}`);
  // Providers x environments x endpoints.
  for (const p of providers) for (const e of envs) for (const ep of [undefined, {}, { authorize: "https://as.example/a" }, { token: "https://as.example/t" }, endpoints]) {
    const o = { ...base, provider: p };
    if (e !== undefined) o.environment = e;
    if (ep !== undefined) o.endpoints = ep;
    ctor(o, `pe:${p}:${e}:${JSON.stringify(ep)}`);
  }
  // Every client key missing and of every kind, for a preset and for custom.
  for (const p of ["payout", "custom", "tropipay"]) {
    const good = { ...base, provider: p, ...(p === "custom" ? { endpoints } : {}) };
    for (const k of clientKeys) {
      const miss = { ...good }; delete miss[k]; ctor(miss, `miss:${p}:${k}`);
      for (const [i, v] of KINDS().entries()) ctor({ ...good, [k]: v }, `kind:${p}:${k}#${i}`);
    }
    for (const k of epKeys) for (const [i, v] of KINDS().entries()) ctor({ ...good, endpoints: { ...endpoints, [k]: v } }, `ep:${p}:${k}#${i}`);
    for (const k of presetKeys) for (const [i, v] of KINDS().entries()) ctor({ ...good, preset: { [k]: v } }, `preset:${p}:${k}#${i}`);
    for (const [i, v] of KINDS().entries()) ctor({ ...good, preset: { authorizeParams: { x: v } } }, `ap:${p}#${i}`);
    for (const [i, v] of KINDS().entries()) ctor({ ...good, preset: { grants: [v] } }, `g1:${p}#${i}`);
    for (const [i, v] of KINDS().entries()) ctor({ ...good, stateKey: ["k".repeat(32), v] }, `sk:${p}#${i}`);
  }
  // Grants: each subset's start (the code grant missing), per provider and custom without authorize.
  const grants = ["authorization_code", "refresh_token", "client_credentials", "introspection", "revocation", "implicit", ""];
  const starts = (c, tag) => {
    out.push(["start", tag, outcome(() => c.startAuthorization())]);
    out.push(["start", tag, outcome(() => c.startAuthorization({ scopes: ["a"] }))]);
  };
  for (const p of ["payfit", "payout", "factorial", "tropipay", "billit", "custom"]) for (const e of envs) for (let mask = 0; mask < 1 << grants.length; mask += 1) {
    if (mask > 40 && mask % 7) continue;
    const g = grants.filter((_, i) => mask & (1 << i));
    for (const ep of [undefined, { token: "https://as.example/t" }, endpoints]) for (const withGrants of [false, true]) {
      if (!withGrants && mask) continue;
      const o = { ...base, provider: p };
      if (e !== undefined) o.environment = e;
      if (ep) o.endpoints = ep;
      if (withGrants) o.preset = { grants: g };
      let c;
      const r = outcome(() => { c = new OAuthClient(o); return 1; });
      out.push(["g-ctor", `${p}:${e}:${g}:${JSON.stringify(ep)}:${withGrants}`, r]);
      if (c) { starts(c, `${p}:${e}:${g}`); c.free(); }
    }
  }
  // Start options of every kind.
  const c = new OAuthClient({ ...base, provider: "custom", endpoints });
  for (const [i, v] of KINDS().entries()) out.push(["start-opt", i, outcome(() => c.startAuthorization(v))]);
  for (const k of ["scopes", "payload", "tokenKind", "params", "state", "extra"]) {
    for (const [i, v] of KINDS().entries()) out.push(["start-key", `${k}#${i}`, outcome(() => c.startAuthorization({ [k]: v }))]);
    for (const [i, v] of KINDS().entries()) out.push(["start-in", `${k}#${i}`, outcome(() => c.startAuthorization({ [k]: k === "scopes" ? [v] : { x: v } }))]);
  }
  // Callback and PKCE: non-strings of every kind in each argument.
  const st = c.startAuthorization();
  const pend = st.pending ?? JSON.stringify(st);
  for (const [i, v] of KINDS().entries()) {
    out.push(["cb-url", i, outcome(() => c.parseCallback(v, pend))]);
    out.push(["cb-pending", i, outcome(() => c.parseCallback("https://app.example/cb?code=x&state=y", v))]);
    out.push(["cb-both", i, outcome(() => c.parseCallback(v, v))]);
    out.push(["pkce", i, outcome(() => pkceChallenge(v))]);
  }
  out.push(["pkce-miss", outcome(() => pkceChallenge())]);
  out.push(["cb-miss", outcome(() => c.parseCallback())]);
  out.push(["verifier", outcome(() => typeof newPkceVerifier())]);
  c.free();
  out.push(["freed-start", outcome(() => c.startAuthorization())]);
  out.push(["freed-cb", outcome(() => c.parseCallback(1, 2))]);
  out.push(["freed-cb2", outcome(() => c.parseCallback("https://app.example/cb", ""))]);
  out.push(["freed-prov", outcome(() => c.provider)]);
  const errs = out.filter((x) => JSON.stringify(x).includes('"ERR"')).length;
  return { n: out.length, errs, sha: hash(out), out };
}
