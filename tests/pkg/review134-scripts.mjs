// Review 134's scripts (tests/pkg/review134.test.mjs): helper cb50, the callback's query reader (`read_pairs` answering
// 0 when no OAuth parameter is present, `callback_params` choosing CallbackInFragment / CallbackWithoutParameters from
// it, `provider_error` given the `error` value, `with_provider_bytes` forgetting the `None`s it replaces). Each runs in
// a child process on a package URL `pkg` with the random bytes (xorshift) and clock fixed; run by hand against
// d6f1564's (/tmp/review128-old/pkg) and 1578073's packages they are the old/new differential oracle.
import { readFileSync } from "node:fs";
import { freeze, hash } from "./frozen.mjs";

const T = 1765000000000;
const PROVIDER_FIELDS = ["providerCode", "providerMessage", "status", "bodyExcerpt"];
/** A callback's answer: its fields, or the error's code, message and provider fields (absent ones as "-"). */
const answer = (f) => {
  try {
    const r = f();
    return ["OK", r.code, r.state, r.payload ?? "-", String(r.payloadVerified), r.iss ?? "-", r.flowId, r.flowExpiresAt];
  } catch (e) {
    if (!e || !e.code) return ["THROW", String(e?.name), String(e?.message).slice(0, 200)];
    return ["ERR", e.code, e.message, ...PROVIDER_FIELDS.map((k) => (k in e ? e[k] : "-"))];
  }
};
const REDIRECT = "https://app.example/cb";
const options = (extra = {}) => ({
  provider: "custom",
  clientId: "cid",
  redirectUri: REDIRECT,
  stateKey: "k".repeat(40),
  endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" },
  ...extra,
});
const ISS = "https://as.example";
const CLIENTS = {
  plain: options(),
  issuer: options({ preset: { issuer: ISS } }),
  codeParams: options({ preset: { codeParams: ["authorization_code", "code"] } }),
};

/** The hand-written callbacks: `S` is the flow's state. Each a [label, url] pair; the url is given as is. */
export function callbacks(S) {
  const big = (n, c = "a") => c.repeat(n);
  const list = [];
  const add = (label, url) => list.push([label, url]);
  for (const [form, pre] of [["url", REDIRECT + "?"], ["path", "/cb?"], ["bare", ""], ["bareq", "?"]]) {
    const u = (q, frag) => pre + q + (frag === undefined ? "" : "#" + frag);
    add(`${form} ok`, u(`code=C&state=${S}`));
    add(`${form} query+fragment both oauth`, u(`code=C&state=${S}`, `code=D&state=${S}`));
    add(`${form} fragment oauth, query others`, u(`x=1&y=2`, `code=C&state=${S}`));
    add(`${form} fragment oauth, query empty`, u(``, `code=C&state=${S}`));
    add(`${form} query oauth, fragment others`, u(`code=C&state=${S}`, `x=1`));
    add(`${form} neither`, u(`x=1`, `y=2`));
    add(`${form} neither, no fragment`, u(`x=1`));
    add(`${form} nothing`, u(``));
    add(`${form} nothing, empty fragment`, u(``, ``));
    add(`${form} fragment oauth dup`, u(`x=1`, `code=C&code=D&state=${S}`));
    add(`${form} fragment dup non-oauth`, u(`x=1`, `z=1&z=2&code=C`));
    add(`${form} fragment error only`, u(`x=1`, `error=access_denied`));
    add(`${form} fragment state only`, u(`x=1`, `state=${S}`));
    add(`${form} fragment %73tate`, u(`x=1`, `%73tate=${S}`));
    add(`${form} fragment not utf8`, u(`x=1`, `code=%FF`));
    add(`${form} fragment controls`, u(`x=1`, `code=%01`));
    add(`${form} query dup non-oauth, fragment oauth`, u(`x=1&x=2`, `code=C&state=${S}`));
    add(`${form} query not utf8, fragment oauth`, u(`x=%FF`, `code=C&state=${S}`));
    add(`${form} query controls non-oauth, fragment oauth`, u(`x=%0A`, `code=C&state=${S}`));
  }
  const q = (s) => `${REDIRECT}?${s}`;
  const pieces = [
    ["&&", `&&code=C&&state=${S}&&`],
    ["&", `&`],
    ["&&&", `&&&`],
    ["= without name", `=x&code=C&state=${S}`],
    ["= alone", `=&code=C&state=${S}`],
    ["only =", `=`],
    ["only ==", `==`],
    ["name without =", `code&state=${S}`],
    ["empty code", `code=&state=${S}`],
    ["code ==", `code==&state=${S}`],
    ["%73tate", `code=C&%73tate=${S}`],
    ["%63ode", `%63ode=C&state=${S}`],
    ["%65rror", `%65rror=access_denied&state=${S}`],
    ["%65rror no state", `%65rror=access_denied`],
    ["%2573tate", `code=C&%2573tate=${S}`],
    ["+ in name", `co+de=C&state=${S}`],
    ["state%3D in name", `state%3D${S}&code=C`],
    ["upper STATE", `code=C&STATE=${S}`],
    ["dup code", `code=C&code=C&state=${S}`],
    ["dup code differing", `code=C&code=D&state=${S}`],
    ["dup state", `code=C&state=${S}&state=${S}`],
    ["dup state other", `code=C&state=${S}&state=x`],
    ["dup error", `error=a&error=b&state=${S}`],
    ["dup error_description", `error=a&error_description=x&error_description=y&state=${S}`],
    ["dup non-oauth", `code=C&state=${S}&x=1&x=2`],
    ["dup non-oauth empty", `code=C&state=${S}&x&x`],
    ["dup via encoding", `code=C&%63ode=C&state=${S}`],
    ["dup empty names", `=a&=b&code=C&state=${S}`],
    ["iss", `code=C&state=${S}&iss=${encodeURIComponent(ISS)}`],
    ["iss raw", `code=C&state=${S}&iss=${ISS}`],
    ["iss other", `code=C&state=${S}&iss=https%3A%2F%2Fevil.example`],
    ["iss empty", `code=C&state=${S}&iss=`],
    ["iss dup", `code=C&state=${S}&iss=${encodeURIComponent(ISS)}&iss=${encodeURIComponent(ISS)}`],
    ["authorization_code", `authorization_code=AC&state=${S}`],
    ["both codes", `authorization_code=AC&code=C&state=${S}`],
    ["authorization_code only", `authorization_code=AC`],
    ["error access_denied", `error=access_denied&state=${S}`],
    ["error other", `error=server_error&state=${S}`],
    ["error empty", `error=&state=${S}`],
    ["error name only", `error&state=${S}`],
    ["error no state", `error=access_denied`],
    ["error other no state", `error=temporarily_unavailable&error_description=later`],
    ["error empty no state", `error=`],
    ["error wrong state", `error=access_denied&state=x`],
    ["error wrong state desc", `error=invalid_scope&error_description=bad&state=x`],
    ["error empty state", `error=access_denied&state=`],
    ["error + code", `error=access_denied&code=C&state=${S}`],
    ["error + code no state", `error=access_denied&code=C`],
    ["error + desc", `error=invalid_request&error_description=The+request+is+bad&state=${S}`],
    ["error + uri", `error=invalid_request&error_uri=https%3A%2F%2Fas.example%2Fe&state=${S}`],
    ["error desc controls %0A", `error=e&error_description=a%0Ab&state=${S}`],
    ["error desc controls %0D%0A", `error=e&error_description=a%0D%0Alevel%3Derror&state=${S}`],
    ["error desc %00", `error=e&error_description=a%00b&state=${S}`],
    ["error desc %7F", `error=e&error_description=a%7Fb&state=${S}`],
    ["error desc %C2%85 (NEL)", `error=e&error_description=a%C2%85b&state=${S}`],
    ["error desc %C2%9B (CSI)", `error=e&error_description=a%C2%9Bb&state=${S}`],
    ["error desc %E2%80%A8 (LS)", `error=e&error_description=a%E2%80%A8b&state=${S}`],
    ["error desc %1B[31m", `error=e&error_description=%1B%5B31mred&state=${S}`],
    ["error desc tab", `error=e&error_description=a%09b&state=${S}`],
    ["error uri controls", `error=e&error_uri=a%0Ab&state=${S}`],
    ["error code controls", `error=a%0Ab&state=${S}`],
    ["error code controls no state", `error=a%0Ab`],
    ["error desc controls no state", `error=e&error_description=a%0Ab`],
    ["x controls", `code=C&state=${S}&x=%0A`],
    ["x name controls", `code=C&state=${S}&%0A=1`],
    ["code controls", `code=C%0A&state=${S}`],
    ["code %FF", `code=%FF&state=${S}`],
    ["code %C3%28", `code=%C3%28&state=${S}`],
    ["code %ED%A0%80 (surrogate)", `code=%ED%A0%80&state=${S}`],
    ["code %C0%AF (overlong)", `code=%C0%AF&state=${S}`],
    ["code %EF%BF%BD (U+FFFD)", `code=%EF%BF%BD&state=${S}`],
    ["code %F4%90%80%80 (>U+10FFFF)", `code=%F4%90%80%80&state=${S}`],
    ["code truncated %E2%82", `code=%E2%82&state=${S}`],
    ["code utf8 é", `code=%C3%A9&state=${S}`],
    ["code raw é", `code=é&state=${S}`],
    ["name %FF", `%FF=1&code=C&state=${S}`],
    ["x %FF", `code=C&state=${S}&x=%FF`],
    ["error %FF", `error=%FF&state=${S}`],
    ["error desc %FF", `error=e&error_description=%FF&state=${S}`],
    ["error desc %FF no state", `error=e&error_description=%FF`],
    ["error desc U+FFFD", `error=e&error_description=%EF%BF%BD&state=${S}`],
    ["% alone", `code=%&state=${S}`],
    ["%4", `code=%4&state=${S}`],
    ["%zz", `code=%zz&state=${S}`],
    ["%%41", `code=%%41&state=${S}`],
    ["code=%26", `code=a%26b&state=${S}`],
    ["code=%3D", `code=a%3Db&state=${S}`],
    ["code plus", `code=a+b&state=${S}`],
    ["state upper", `code=C&state=${S.toUpperCase()}`],
    ["state prefix", `code=C&state=${S.slice(0, -1)}`],
    ["state extra", `code=C&state=${S}x`],
    ["state encoded", `code=C&state=${[...S].map((c) => "%" + c.charCodeAt(0).toString(16)).join("")}`],
    ["no state", `code=C`],
    ["empty state", `code=C&state=`],
    ["huge code", `code=${big(16000)}&state=${S}`],
    ["huge code over", `code=${big(16384)}&state=${S}`],
    ["huge x", `code=C&state=${S}&x=${big(16000)}`],
    ["huge desc", `error=e&error_description=${big(15000, "d")}&state=${S}`],
    ["huge desc é", `error=e&error_description=${big(2000, "%C3%A9")}&state=${S}`],
    ["huge error", `error=${big(15000, "e")}&state=${S}`],
    ["huge error no state", `error=${big(15000, "e")}`],
    ["desc 256 é+x", `error=e&error_description=${big(255, "%C3%A9")}x&state=${S}`],
    ["desc 257 with controls", `error=e&error_description=${big(128, "a%0A")}${big(200)}&state=${S}`],
    ["many pairs", Array.from({ length: 3000 }, (_, i) => `p${i}=1`).join("&") + `&code=C&state=${S}`],
    ["many empty pairs", big(10000, "&") + `code=C&state=${S}`],
    ["many =", big(10000, "=") + `&code=C&state=${S}`],
    ["payload", `code=C&state=${S}&payload=x`],
    ["flowId", `code=C&state=${S}&flowId=x`],
  ];
  for (const [label, s] of pieces) add(label, q(s));
  // Not a URL, or not one that parses.
  add("scheme only", "https://");
  add("bad url", "https://exa mple/cb?code=C&state=" + S);
  add("empty", "");
  add("just #", "#");
  add("just ?", "?");
  add("?#code", "?#code=C");
  add("path no query", "/cb");
  add("path # oauth", "/cb#code=C&state=" + S);
  add("url ? in fragment", REDIRECT + "#x?code=C&state=" + S);
  add("two #", REDIRECT + "?x=1#code=C#state=" + S);
  add("query # in value", REDIRECT + "?code=C%23&state=" + S);
  add("lone surrogate", REDIRECT + "?code=\ud800&state=" + S);
  add("lone surrogate fragment", REDIRECT + "?x=1#code=\ud800&state=" + S);
  add("NUL raw", REDIRECT + "?code=C\u0000&state=" + S);
  const head = REDIRECT + "?code=C&state=" + S + "&x=";
  add("CALLBACK_MAX", head + "a".repeat(16384 - head.length));
  add("CALLBACK_MAX+1", head + "a".repeat(16385 - head.length));
  add("CALLBACK_MAX error", (REDIRECT + "?error=e&error_description=").padEnd(16384, "d"));
  return list;
}

/** Every hand-written callback through the three clients of `entry`: labels and answers, and their hash. */
export async function hand(pkg, entry) {
  freeze(1341);
  const m = await import(pkg + entry);
  const rows = {};
  let n = 0;
  for (const [name, o] of Object.entries(CLIENTS)) {
    const c = new m.OAuthClient(o);
    const s = c.startAuthorization({ payload: "pay" });
    for (const [label, url] of callbacks(s.state)) {
      // A pending value of this flow, and a missing one (which refusal comes first).
      rows[`${name} ${label}`] = answer(() => c.parseCallback(url, s.pending));
      n++;
    }
    rows[`${name} no pending`] = answer(() => c.parseCallback(`${REDIRECT}?error=e&state=${s.state}`, ""));
    c.free();
  }
  return { n, sha: hash(rows), rows };
}

// The fuzz's vocabulary: names, values, separators.
const ALL_NAMES = ["code", "state", "error", "error_description", "error_uri", "iss", "authorization_code", "x", "", "%73tate", "%63ode", "%65rror", "Code", "st%61te", "a+b", "%FF", "%0A", "%C3%A9"];
const VALS = (S) => [S, S, S, "", "C", "access_denied", "e", "%0A", "%00", "%7F", "%C2%85", "%FF", "%EF%BF%BD", "%C3%A9", "a+b", "%", "%4", "=", "x=y", "%26", "%23", "https%3A%2F%2Fas.example", "https://as.example", S + "x", "a".repeat(300), "%C3%A9".repeat(200)];

// Mild: well-formed names and values only (which OAuth names, where, how often).
const MILD_NAMES = ["code", "state", "state", "error", "error_description", "iss", "authorization_code", "x", "y", "%73tate", "%63ode"];
const MILD_VALS = (S) => [S, S, S, S, "", "C", "access_denied", "e", "x=y", "a+b", "%26", "https%3A%2F%2Fas.example"];

/** `count` random callbacks (seed `seed`): each pair list in the query, the fragment, both, or neither. */
export function fuzzUrls(seed, count, S, mild = false) {
  let s = seed >>> 0 || 1;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
  const pick = (a) => a[next() % a.length];
  const vals = mild ? MILD_VALS(S) : VALS(S);
  const NAMES = mild ? MILD_NAMES : ALL_NAMES;
  const pairs = () => {
    const n = next() % 6;
    const out = [];
    for (let i = 0; i < n; i++) {
      const r = next() % 10;
      if (r === 0) out.push("");
      else if (r === 1) out.push(pick(NAMES));
      else if (r === 2) out.push("=" + pick(vals));
      else out.push(pick(NAMES) + "=" + pick(vals));
    }
    return out.join(next() % 5 ? "&" : "&&");
  };
  const urls = [];
  for (let i = 0; i < count; i++) {
    const pre = pick([REDIRECT + "?", "/cb?", "", "?", REDIRECT]);
    const r = next() % 4;
    const url = pre + (r === 1 ? "" : pairs()) + (r === 0 ? "" : "#" + pairs());
    urls.push(url);
  }
  return urls;
}

/** The fuzzed callbacks' answers through the three clients: tally by code and a hash. */
export async function fuzz(pkg, entry, seed, count, mild = false) {
  freeze(1342);
  const m = await import(pkg + entry);
  const all = [];
  const tally = {};
  for (const [name, o] of Object.entries(CLIENTS)) {
    const c = new m.OAuthClient(o);
    const s = c.startAuthorization({ payload: "pay" });
    for (const url of fuzzUrls(seed, count, s.state, mild)) {
      const a = answer(() => c.parseCallback(url, s.pending));
      const k = a[0] === "OK" ? "ok" : a[1];
      tally[k] = (tally[k] ?? 0) + 1;
      all.push(a);
    }
    c.free();
  }
  return { n: all.length, sha: hash(all), tally };
}

/** Provider fields after a sequence of callbacks on one client: each refused one's fields must be its own (never an
 * earlier error's, never the code or state). Interleaved: provider errors with and without state and description,
 * other refusals, successes, in a fixed pseudo-random order. Answers: the count of each kind and of stale fields. */
export async function stale(pkg, entry, count) {
  freeze(1343);
  const m = await import(pkg + entry);
  const c = new m.OAuthClient(CLIENTS.plain);
  const s = c.startAuthorization({ payload: "pay" });
  let x = 7;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>>= 0));
  const kinds = {};
  let bad = 0;
  const badRows = [];
  for (let i = 0; i < count; i++) {
    const k = next() % 8;
    const tag = `E${i}`;
    let url, want;
    switch (k) {
      case 0: url = `${REDIRECT}?error=${tag}&error_description=D${i}&state=${s.state}`; want = [tag, `D${i}`]; break;
      case 1: url = `${REDIRECT}?error=${tag}&state=${s.state}`; want = [tag, "-"]; break;
      case 2: url = `${REDIRECT}?error=${tag}&error_description=D${i}`; want = [tag, `D${i}`]; break;
      case 3: url = `${REDIRECT}?error=${tag}`; want = [tag, "-"]; break;
      case 4: url = `${REDIRECT}?error=${tag}&error_description=D${i}&state=x`; want = ["-", "-"]; break;
      case 5: url = `${REDIRECT}?code=C${i}&state=${s.state}`; want = null; break;
      case 6: url = `${REDIRECT}?code=C${i}&state=x`; want = ["-", "-"]; break;
      default: url = `${REDIRECT}?error=access_denied&error_description=&state=${s.state}`; want = ["access_denied", ""]; break;
    }
    const a = answer(() => c.parseCallback(url, s.pending));
    kinds[k] = (kinds[k] ?? 0) + 1;
    const got = a[0] === "OK" ? null : [a[3], a[4]];
    const same = JSON.stringify(got) === JSON.stringify(want) && (a[0] === "OK" ? a[1] === `C${i}` : a[5] === "-" && a[6] === "-");
    if (!same) {
      bad++;
      if (badRows.length < 5) badRows.push([url, a]);
    }
  }
  c.free();
  return { kinds, bad, badRows };
}

/** The wasm memory's size after `count` refused callbacks of each provider-error shape (with a description of 200
 * bytes, the state present and absent) on one client: after the first 10 % and at the end. */
export async function memory(pkg, entry, count) {
  freeze(1344);
  const m = await import(pkg + entry);
  const glue = await import(pkg + (entry === "node.js" ? "partner_oauth.js" : "page/partner_oauth.js"));
  const ex = glue.initSync({ module: readFileSync(new URL(entry === "node.js" ? "partner_oauth_bg.wasm" : "page/partner_oauth_bg.wasm", pkg)) });
  const c = new m.OAuthClient(CLIENTS.plain);
  const s = c.startAuthorization({ payload: "pay" });
  const desc = "d".repeat(200);
  const urls = [
    `${REDIRECT}?error=access_denied&error_description=${desc}&state=${s.state}`,
    `${REDIRECT}?error=server_error&error_description=${desc}`,
    `${REDIRECT}?error=${"e".repeat(300)}&error_description=${"%C3%A9".repeat(300)}&state=${s.state}`,
  ];
  const sizes = [];
  let refused = 0;
  const start = ex.memory.buffer.byteLength;
  for (let i = 0; i < count; i++) {
    try {
      c.parseCallback(urls[i % urls.length], s.pending);
    } catch (e) {
      if (e.providerCode) refused++;
    }
    if (i === Math.floor(count / 10) || i === count - 1) sizes.push(ex.memory.buffer.byteLength);
  }
  c.free();
  return { refused, start, sizes, grew: sizes[1] - sizes[0] };
}
