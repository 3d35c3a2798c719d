// Review 119 (outside reviewer on 1d75511..24f9ad4, `git diff 1d75511 24f9ad4 -- src`: the twenty-second session's
// page-size work, meant to change no behaviour: the page's UTF-8 check by a hand-written decoder (text::is_utf8,
// whose yes makes a `str` unchecked in raw.rs) and a callback's name and value checked for U+FFFD in the same pass;
// the page's base64url decoder a symbol at a time (decode_bits) and its encoder through a bit buffer (encode_bits);
// the URL reader's scheme as a prefix, IPv6 in one pass, port and octet casts, the `xn--` test folded into a u32 and
// one ip::digit; the start's own pairs as literals, the PKCE verifier no longer checked (met by construction), the
// creation time's bytes by push_be_u64, the MAC written in place; the constructor's record read by one loop, the
// preset looked up by its own name, one environment search). No finding confirmed. The expected values below are
// 1d75511's package's (both builds), answered identically by 24f9ad4's, with the same random bytes and clock (fixed
// inside each child script; the scripts are in review119-scripts.mjs). The whole outputs were compared, not only
// these hashes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child } from "./region.mjs";

const scripts = JSON.stringify(new URL("./review119-scripts.mjs", import.meta.url).href);
const run = (body) => child(`const s = await import(${scripts});\n${body}`);

// Held: 36,640 redirect URIs (40 scheme spellings; 176 hosts: IPv6 with and without `::`, IPv4 parts in every place,
// too many groups, 5-digit groups, leading zeros, zones; IPv4 with leading zeros, short and long forms, hex and octal;
// `xn--` in every case and place and near misses; userinfo; 20 ports from 0 to 99999 with leading zeros and signs;
// 7 path/query/fragment suffixes) and 2,080 custom authorize/token endpoints: the same 1,920 and 330 accepted, every
// start URL and every refusal's code and message 1d75511's, in each build.
test("review119 (held): hostile redirect URIs and endpoints are accepted and refused as 1d75511's, both builds", () => {
  // A process per build: the glue's random pool carries over between calls.
  const got = Object.fromEntries(["node.js", "page-node.js"].map((e) => [e, run(`console.log(JSON.stringify(await s.urlsSummary(pkg, "${e}")));`)]));
  assert.deepEqual(got, EXPECTED.urls);
});

// Held, readable: a few of them, as 1d75511 answered (the redirect_uri a start sends, or the constructor's error).
test("review119 (held): a few IPv6, IPv4, port, scheme and xn-- redirect URIs, both builds", () => {
  const got = run(`console.log(JSON.stringify([await s.fewUris(pkg, "node.js"), await s.fewUris(pkg, "page-node.js")]));`);
  assert.deepEqual(got, [FEW, FEW]);
});

// Held: 112 constructors (every provider and environment, keyless and keyed with one, two, 64-, 65- and 200-byte keys;
// custom with preset overrides; 17 near-miss provider names such as "Billit", "billit\0", "__proto__", "sixth"; 16
// environment names on four providers), 598 starts (26 start options each: scopes needing form encoding, payloads to
// the 2,048-byte limit, params named like the library's own, token kinds), their 345 callbacks, and 29,001 tampered
// states and pending values (each symbol changed two ways, the last symbol of each base64url part given every value
// so its trailing bits are set, every cut, symbols, `=`, `+`, `/`, `.` appended or put before the MAC): every answer
// 1d75511's, byte for byte, in each build; starts at 29 clocks (0 to 2^64, NaN, negative, fractions) likewise.
test("review119 (held): constructors, starts, callbacks, tampering and clocks answer as 1d75511's, both builds", () => {
  const got = Object.fromEntries(["node.js", "page-node.js"].map((e) => [e, run(`console.log(JSON.stringify(await s.flowsSummary(pkg, "${e}")));`)]));
  assert.deepEqual(got, EXPECTED.flows);
});

// Held: states and pending values interoperate both ways with 1d75511. Its flows (keyless, two keys, a 200-byte and a
// 64-byte key, an IPv6 loopback redirect, a custom provider without PKCE; payloads, scopes, params) finish here in
// both builds with their payload, flow id and expiry, and the next client's flows get 1d75511's answers; and today's
// starts with the same random bytes and clock are 1d75511's byte for byte (so 1d75511 finishes them).
test("review119 (held): 1d75511's flows finish here, and today's starts are 1d75511's byte for byte", () => {
  const got = run(`const flows = ${JSON.stringify(OLD_STARTED)};
console.log(JSON.stringify({
  started: [await s.started(pkg, "node.js"), await s.started(pkg, "page-node.js")],
  finished: [await s.finish(pkg, "node.js", flows), await s.finish(pkg, "page-node.js", flows)],
}));`);
  assert.deepEqual(got, { started: [OLD_STARTED, OLD_STARTED], finished: [OLD_FINISHED, OLD_FINISHED] });
});

// Held: the page wasm's UTF-8 check, whose yes becomes `str::from_utf8_unchecked` in raw.rs, refuses exactly what
// TextDecoder's fatal decoder refuses over 213,378 byte sequences fed to a raw export (overlongs, surrogates, past
// U+10FFFF, 0xF5-0xFF leads, stray and missing continuation bytes, U+FFFD). Natively, is_utf8_without's source at
// 24f9ad4 agreed with `str::from_utf8` (and, refusing U+FFFD, with from_utf8 plus a search) on all 4,330,587,265
// texts of the reviewer's harness: every sequence of 0-3 bytes, every one of the 2^32 4-byte sequences, 2,000,000
// random mixtures.
test("review119 (held): the page's UTF-8 check refuses what TextDecoder's fatal decoder refuses", async () => {
  const { rawUtf8 } = await import("./review119-scripts.mjs");
  const got = await rawUtf8(new URL("../../pkg/", import.meta.url));
  assert.deepEqual(got, { notString: "the PKCE verifier must be a string", count: 213378, refused: 188160, wrong: [] });
});

const EXPECTED = {
  "urls": {
    "node.js": {
      "urls": "f88406d40142a9132068",
      "endpoints": "5e196b7d75db4f104f05",
      "uris": 36640,
      "accepted": 1920,
      "endpointsAccepted": 330
    },
    "page-node.js": {
      "urls": "b286873b144df83034b7",
      "endpoints": "eb7857452e7169a47f37",
      "uris": 36640,
      "accepted": 1920,
      "endpointsAccepted": 330
    }
  },
  "flows": {
    "node.js": {
      "ctor": "a5cafdf909d2ec697f58",
      "starts": "854a9fefd06bdc1326fe",
      "cbs": "02c2c82d7be7d7df8aa2",
      "tamper": "05b9f9f1d627df0f032c",
      "clocks": "f8e4867ca759808b8c6b",
      "tampered": 29001,
      "tamperedAccepted": 1940,
      "startsOk": 345,
      "startCount": 598
    },
    "page-node.js": {
      "ctor": "a5cafdf909d2ec697f58",
      "starts": "dd96841ff965dbb2e227",
      "cbs": "5909afa48d37b924d14c",
      "tamper": "aa9042302f96b0913eff",
      "clocks": "e568f079eb3e36631800",
      "tampered": 29001,
      "tamperedAccepted": 1952,
      "startsOk": 345,
      "startCount": 598
    }
  }
};

// 1d75511's starts (seed 9, NOW), the same in both builds.
const OLD_STARTED = [[{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQAAAAAAaTPDQArVke5RkhDi0Reh04Qoqxw","state":"AQAAAAAAaTPDQArVke5RkhDi0Reh04Qoqxw","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgAjQVFBQUFBQUFhVFBEUUFyVmtlNVJraERpMFJlaDA0UW9xeHcAFmh0dHBzOi8vYXBwLmV4YW1wbGUvY2L_____","flowId":"CtWR7lGSEOLRF6HThCirHA","flowExpiresAt":1765000601000},{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQEAAAAAaTPDQLs1ixWKFwc6oa5_SwTLyZdwYXkgw6nwn5iA","state":"AQEAAAAAaTPDQLs1ixWKFwc6oa5_SwTLyZdwYXkgw6nwn5iA","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgAwQVFFQUFBQUFhVFBEUUxzMWl4V0tGd2M2b2E1X1N3VEx5WmR3WVhrZ3c2bnduNWlBABZodHRwczovL2FwcC5leGFtcGxlL2Ni_____w","flowId":"uzWLFYoXBzqhrn9LBMvJlw","flowExpiresAt":1765000601000},{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=read+write&state=AQEAAAAAaTPDQHTUakyG24JVMxO6I8tjD8s","state":"AQEAAAAAaTPDQHTUakyG24JVMxO6I8tjD8s","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgAjQVFFQUFBQUFhVFBEUUhUVWFreUcyNEpWTXhPNkk4dGpEOHMAFmh0dHBzOi8vYXBwLmV4YW1wbGUvY2L_____","flowId":"dNRqTIbbglUzE7ojy2MPyw","flowExpiresAt":1765000601000},{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQAAAAAAaTPDQJdmBcoKKkHMVak5iUcSOVo&x=1+2","state":"AQAAAAAAaTPDQJdmBcoKKkHMVak5iUcSOVo","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgAjQVFBQUFBQUFhVFBEUUpkbUJjb0tLa0hNVmFrNWlVY1NPVm8AFmh0dHBzOi8vYXBwLmV4YW1wbGUvY2L_____","flowId":"l2YFygoqQcxVqTmJRxI5Wg","flowExpiresAt":1765000601000}],[{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQAAAAAAaTPDQG3GjLR3nS7nYoAgXahJleA.lD6H7_e-wPKCvZMHq5F5NSapA6Qv4cwX2qymXC4fIlQ","state":"AQAAAAAAaTPDQG3GjLR3nS7nYoAgXahJleA.lD6H7_e-wPKCvZMHq5F5NSapA6Qv4cwX2qymXC4fIlQ","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgBPQVFBQUFBQUFhVFBEUUczR2pMUjNuUzduWW9BZ1hhaEpsZUEubEQ2SDdfZS13UEtDdlpNSHE1RjVOU2FwQTZRdjRjd1gycXltWEM0ZklsUQAWaHR0cHM6Ly9hcHAuZXhhbXBsZS9jYv____8.6KPyvwhuScTHikxdspryXiTufRAMfl_FysAJWiHtJMs","flowId":"bcaMtHedLudigCBdqEmV4A","flowExpiresAt":1765000601000},{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQEAAAAAaTPDQBQh99CyQtBVM4FF6c_7dqVwYXkgw6nwn5iA.QB5l4AZ5W9wCufEhXq7zkknKBI22XNT5oGTIjfmQPuQ","state":"AQEAAAAAaTPDQBQh99CyQtBVM4FF6c_7dqVwYXkgw6nwn5iA.QB5l4AZ5W9wCufEhXq7zkknKBI22XNT5oGTIjfmQPuQ","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgBcQVFFQUFBQUFhVFBEUUJRaDk5Q3lRdEJWTTRGRjZjXzdkcVZ3WVhrZ3c2bnduNWlBLlFCNWw0QVo1Vzl3Q3VmRWhYcTd6a2tuS0JJMjJYTlQ1b0dUSWpmbVFQdVEAFmh0dHBzOi8vYXBwLmV4YW1wbGUvY2L_____.FF9WMZOc-3vilkgEe_EyfEavUvJfcdXyZSsSsBrFuaQ","flowId":"FCH30LJC0FUzgUXpz_t2pQ","flowExpiresAt":1765000601000},{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=read+write&state=AQEAAAAAaTPDQG8qczAd0LnUD6Wbiz3LoUs.gr5KOl9bjU2O6vHzKILQa1OyGlTrmzKakj9Mup8lm18","state":"AQEAAAAAaTPDQG8qczAd0LnUD6Wbiz3LoUs.gr5KOl9bjU2O6vHzKILQa1OyGlTrmzKakj9Mup8lm18","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgBPQVFFQUFBQUFhVFBEUUc4cWN6QWQwTG5VRDZXYml6M0xvVXMuZ3I1S09sOWJqVTJPNnZIektJTFFhMU95R2xUcm16S2FrajlNdXA4bG0xOAAWaHR0cHM6Ly9hcHAuZXhhbXBsZS9jYv____8.tBWM-uMZqf1VfHd3dodJrvvwfK9PjGoxaTvJ207RCKM","flowId":"bypzMB3QudQPpZuLPcuhSw","flowExpiresAt":1765000601000},{"url":"https://my.billit.be/Account/Logon?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQAAAAAAaTPDQBZH1eOD2PTmlyGmaQU8v30.ZQjNdV1oYYXZS9x_O2xC4rOga5RJ38tIHYrLymYSjRA&x=1+2","state":"AQAAAAAAaTPDQBZH1eOD2PTmlyGmaQU8v30.ZQjNdV1oYYXZS9x_O2xC4rOga5RJ38tIHYrLymYSjRA","pending":"p2.AAAAAGkzw0AABmJpbGxpdAABYwAKcHJvZHVjdGlvbgBPQVFBQUFBQUFhVFBEUUJaSDFlT0QyUFRtbHlHbWFRVTh2MzAuWlFqTmRWMW9ZWVhaUzl4X08yeEM0ck9nYTVSSjM4dElIWXJMeW1ZU2pSQQAWaHR0cHM6Ly9hcHAuZXhhbXBsZS9jYv____8.OJEuuzfsvok_-EzM23VbNmYNi6Cfsk7Tc00JA6R7nn8","flowId":"FkfV44PY9OaXIaZpBTy_fQ","flowExpiresAt":1765000601000}],[{"url":"https://api.factorialhr.com/oauth/authorize?response_type=code&client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQAAAAAAaTPDQEjCC6kG8Hx-vpLpHLzhzKE.n2UQ2qbph7m_ggEx16t42nYZThHTpX1bQs3dUa5kA2E","state":"AQAAAAAAaTPDQEjCC6kG8Hx-vpLpHLzhzKE.n2UQ2qbph7m_ggEx16t42nYZThHTpX1bQs3dUa5kA2E","pending":"p2.AAAAAGkzw0AACWZhY3RvcmlhbAABYwAKcHJvZHVjdGlvbgBPQVFBQUFBQUFhVFBEUUVqQ0M2a0c4SHgtdnBMcEhMemh6S0UubjJVUTJxYnBoN21fZ2dFeDE2dDQybllaVGhIVHBYMWJRczNkVWE1a0EyRQAWaHR0cHM6Ly9hcHAuZXhhbXBsZS9jYv__AAR1c2Vy.GjJR1EataCanw-Vht3wNdx3oSLyhWYsnXSPhdH6EZbk","flowId":"SMILqQbwfH6-kukcvOHMoQ","flowExpiresAt":1765000601000},{"url":"https://api.factorialhr.com/oauth/authorize?response_type=code&client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQEAAAAAaTPDQNb7iaAU6aKysDdWaGeOh4dwYXkgw6nwn5iA.IJO45JLVIV-mbMCajp-vx7b25LduEb4NLDySSYiuGlI","state":"AQEAAAAAaTPDQNb7iaAU6aKysDdWaGeOh4dwYXkgw6nwn5iA.IJO45JLVIV-mbMCajp-vx7b25LduEb4NLDySSYiuGlI","pending":"p2.AAAAAGkzw0AACWZhY3RvcmlhbAABYwAKcHJvZHVjdGlvbgBcQVFFQUFBQUFhVFBEUU5iN2lhQVU2YUt5c0RkV2FHZU9oNGR3WVhrZ3c2bnduNWlBLklKTzQ1SkxWSVYtbWJNQ2FqcC12eDdiMjVMZHVFYjROTER5U1NZaXVHbEkAFmh0dHBzOi8vYXBwLmV4YW1wbGUvY2L__wAEdXNlcg.DuBce6KRlqngmt0lDPv1-OmEemldWZ6St_ga9Ba1BIA","flowId":"1vuJoBTporKwN1ZoZ46Hhw","flowExpiresAt":1765000601000},{"url":"https://api.factorialhr.com/oauth/authorize?response_type=code&client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=read+write&state=AQEAAAAAaTPDQBqUufJT_IVqyBe85G6G4ho.p9bNQpVVbyoW3_NBGIpO4VOUs8o1EfmnQxu-lr-t93A","state":"AQEAAAAAaTPDQBqUufJT_IVqyBe85G6G4ho.p9bNQpVVbyoW3_NBGIpO4VOUs8o1EfmnQxu-lr-t93A","pending":"p2.AAAAAGkzw0AACWZhY3RvcmlhbAABYwAKcHJvZHVjdGlvbgBPQVFFQUFBQUFhVFBEUUJxVXVmSlRfSVZxeUJlODVHNkc0aG8ucDliTlFwVlZieW9XM19OQkdJcE80Vk9VczhvMUVmbW5ReHUtbHItdDkzQQAWaHR0cHM6Ly9hcHAuZXhhbXBsZS9jYv__AAR1c2Vy.FLE_WDupi1E0K5uL--G7v3wAa6hor0Wm7zOWJPXdgKU","flowId":"GpS58lP8hWrIF7zkbobiGg","flowExpiresAt":1765000601000},{"url":"https://api.factorialhr.com/oauth/authorize?response_type=code&client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=AQAAAAAAaTPDQN-mb4mS-YARfzg-romtdQ4.bXaGHdr0oL_ktYj67kzvPHKP6z-gELatjaELdB6UzJU&x=1+2","state":"AQAAAAAAaTPDQN-mb4mS-YARfzg-romtdQ4.bXaGHdr0oL_ktYj67kzvPHKP6z-gELatjaELdB6UzJU","pending":"p2.AAAAAGkzw0AACWZhY3RvcmlhbAABYwAKcHJvZHVjdGlvbgBPQVFBQUFBQUFhVFBEUU4tbWI0bVMtWUFSZnpnLXJvbXRkUTQuYlhhR0hkcjBvTF9rdFlqNjdrenZQSEtQNnotZ0VMYXRqYUVMZEI2VXpKVQAWaHR0cHM6Ly9hcHAuZXhhbXBsZS9jYv__AAR1c2Vy.3yUjhVMzbxowKvJTwVkEIRBpGcCFZr79a5dFj45mG5I","flowId":"36ZviZL5gBF_OD6uia11Dg","flowExpiresAt":1765000601000}],[{"url":"https://app.payout.one/oauth?response_type=code&client_id=c&redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A8080%2Fcb&state=AQAAAAAAaTPDQFrrU726eZhCWsq5GbC45pM.-rxACb5tVMnhvcTHMKKazJ0Bz5LN7-73EPgF6tpE6L0&code_challenge=fHweqgdzL93HKj7RA5WNaQIsDDgoiW6kHjaAPakVHf4&code_challenge_method=S256","state":"AQAAAAAAaTPDQFrrU726eZhCWsq5GbC45pM.-rxACb5tVMnhvcTHMKKazJ0Bz5LN7-73EPgF6tpE6L0","pending":"p2.AAAAAGkzw0AABnBheW91dAABYwAKcHJvZHVjdGlvbgBPQVFBQUFBQUFhVFBEUUZyclU3MjZlWmhDV3NxNUdiQzQ1cE0uLXJ4QUNiNXRWTW5odmNUSE1LS2F6SjBCejVMTjctNzNFUGdGNnRwRTZMMAAUaHR0cDovL1s6OjFdOjgwODAvY2IAK1hadldLdTFsM043VnJKYV9jNEl2X1pJZVJUdnlxV1hCQ3hrNmNkQXFTbFX__w.E3AEKk2qffibK6-UMPSUDL8UgKfzS9NKWnJtC0F2D-o","flowId":"WutTvbp5mEJayrkZsLjmkw","flowExpiresAt":1765000601000},{"url":"https://app.payout.one/oauth?response_type=code&client_id=c&redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A8080%2Fcb&state=AQEAAAAAaTPDQBH1VwW7Dex-3Vs-YQ9aYwFwYXkgw6nwn5iA.YpEPfc9qmiEDK1uW6ErrBaaZh07Jlzq63OQ9shK_wf0&code_challenge=UhyDfIwn7Tt11rIvd2ffxLLH9AUgsxcP0piarZskACU&code_challenge_method=S256","state":"AQEAAAAAaTPDQBH1VwW7Dex-3Vs-YQ9aYwFwYXkgw6nwn5iA.YpEPfc9qmiEDK1uW6ErrBaaZh07Jlzq63OQ9shK_wf0","pending":"p2.AAAAAGkzw0AABnBheW91dAABYwAKcHJvZHVjdGlvbgBcQVFFQUFBQUFhVFBEUUJIMVZ3VzdEZXgtM1ZzLVlROWFZd0Z3WVhrZ3c2bnduNWlBLllwRVBmYzlxbWlFREsxdVc2RXJyQmFhWmgwN0psenE2M09ROXNoS193ZjAAFGh0dHA6Ly9bOjoxXTo4MDgwL2NiACtJS0Y3djJGTWFYaTI4dTlmMFlxQWlqUEs3T1paYlJTV0c3elF6dTVleHZV__8.ghOTDQ5mtfP56ufh930i1G7E-Ct7YKzBtr17YuX0k2Q","flowId":"EfVXBbsN7H7dWz5hD1pjAQ","flowExpiresAt":1765000601000},{"url":"https://app.payout.one/oauth?response_type=code&client_id=c&redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A8080%2Fcb&scope=read+write&state=AQEAAAAAaTPDQNJWIqSCbinVdQR6V_F6DIw.PXaE-xsaCvQ9QHdkmJs-MjcgP7UJepc83HBdL7H7AUk&code_challenge=jdgL21GDvPnpgpV3AKd5Mfp-PpLqKboueiOVBBXvTGw&code_challenge_method=S256","state":"AQEAAAAAaTPDQNJWIqSCbinVdQR6V_F6DIw.PXaE-xsaCvQ9QHdkmJs-MjcgP7UJepc83HBdL7H7AUk","pending":"p2.AAAAAGkzw0AABnBheW91dAABYwAKcHJvZHVjdGlvbgBPQVFFQUFBQUFhVFBEUU5KV0lxU0NiaW5WZFFSNlZfRjZESXcuUFhhRS14c2FDdlE5UUhka21Kcy1NamNnUDdVSmVwYzgzSEJkTDdIN0FVawAUaHR0cDovL1s6OjFdOjgwODAvY2IAK3ViN0FwcE5QSzFMN0c5WVkyU1BVNWY3bFVLRXpXOExfYm0tLWhOX3FORzT__w.cxXDgQxKPaQ9Lw2ZmrwDmCkIkk5bp66EsCHss3opT6U","flowId":"0lYipIJuKdV1BHpX8XoMjA","flowExpiresAt":1765000601000},{"url":"https://app.payout.one/oauth?response_type=code&client_id=c&redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A8080%2Fcb&state=AQAAAAAAaTPDQJ_XhV3jrvWZcpsrEbRbYvI.6rH1iqIABD49tud4Hg40VQpYr39FAtoWBBzgXVaZciA&code_challenge=rNSYuh2QPKyLirmjgyuDBkCe5mj-2UWMvLH9JHc0Z4A&code_challenge_method=S256&x=1+2","state":"AQAAAAAAaTPDQJ_XhV3jrvWZcpsrEbRbYvI.6rH1iqIABD49tud4Hg40VQpYr39FAtoWBBzgXVaZciA","pending":"p2.AAAAAGkzw0AABnBheW91dAABYwAKcHJvZHVjdGlvbgBPQVFBQUFBQUFhVFBEUUpfWGhWM2pydldaY3BzckViUmJZdkkuNnJIMWlxSUFCRDQ5dHVkNEhnNDBWUXBZcjM5RkF0b1dCQnpnWFZhWmNpQQAUaHR0cDovL1s6OjFdOjgwODAvY2IAK2wwQVZ5azNwTVF6dHpyajNiRTBtNm5RZ21TaVdZZEJobUJraERJdVhXM1X__w.SlSj-V6QsbQYRg19zQhcg0PyMPw7fu5kJxXxWeVDWEU","flowId":"n9eFXeOu9ZlymysRtFti8g","flowExpiresAt":1765000601000}],[{"url":"https://a.example/a?x=%20&response_type=code&client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=AQAAAAAAaTPDQJ-m5iGLZ2MS7uKMnLfTvCs&a+b=c%26d","state":"AQAAAAAAaTPDQJ-m5iGLZ2MS7uKMnLfTvCs","pending":"p2.AAAAAGkzw0AABmN1c3RvbQABYwAHZGVmYXVsdAAjQVFBQUFBQUFhVFBEUUotbTVpR0xaMk1TN3VLTW5MZlR2Q3MAE2h0dHA6Ly8xMjcuMC4wLjEvY2L_____","flowId":"n6bmIYtnYxLu4oyct9O8Kw","flowExpiresAt":1765000601000},{"url":"https://a.example/a?x=%20&response_type=code&client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=AQEAAAAAaTPDQBGCs8Dw618mv7fKrUh3sxhwYXkgw6nwn5iA&a+b=c%26d","state":"AQEAAAAAaTPDQBGCs8Dw618mv7fKrUh3sxhwYXkgw6nwn5iA","pending":"p2.AAAAAGkzw0AABmN1c3RvbQABYwAHZGVmYXVsdAAwQVFFQUFBQUFhVFBEUUJHQ3M4RHc2MThtdjdmS3JVaDNzeGh3WVhrZ3c2bnduNWlBABNodHRwOi8vMTI3LjAuMC4xL2Ni_____w","flowId":"EYKzwPDrXya_t8qtSHezGA","flowExpiresAt":1765000601000},{"url":"https://a.example/a?x=%20&response_type=code&client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&scope=read+write&state=AQEAAAAAaTPDQDXx0ZZEdCMQbEVwTJjOlDc&a+b=c%26d","state":"AQEAAAAAaTPDQDXx0ZZEdCMQbEVwTJjOlDc","pending":"p2.AAAAAGkzw0AABmN1c3RvbQABYwAHZGVmYXVsdAAjQVFFQUFBQUFhVFBEUURYeDBaWkVkQ01RYkVWd1RKak9sRGMAE2h0dHA6Ly8xMjcuMC4wLjEvY2L_____","flowId":"NfHRlkR0IxBsRXBMmM6UNw","flowExpiresAt":1765000601000},{"url":"https://a.example/a?x=%20&response_type=code&client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=AQAAAAAAaTPDQENtDD9fVaINFjPZi6p9z04&a+b=c%26d&x=1+2","state":"AQAAAAAAaTPDQENtDD9fVaINFjPZi6p9z04","pending":"p2.AAAAAGkzw0AABmN1c3RvbQABYwAHZGVmYXVsdAAjQVFBQUFBQUFhVFBEUUVOdEREOWZWYUlORmpQWmk2cDl6MDQAE2h0dHA6Ly8xMjcuMC4wLjEvY2L_____","flowId":"Q20MP19Vog0WM9mLqn3PTg","flowExpiresAt":1765000601000}]];

// 1d75511 finishing OLD_STARTED (each client's own flows; the next client's), the same in both builds.
const OLD_FINISHED = [{"own":[{"ok":["C","AQAAAAAAaTPDQArVke5RkhDi0Reh04Qoqxw",null,false,null,"CtWR7lGSEOLRF6HThCirHA",1765000601000]},{"ok":["C","AQEAAAAAaTPDQLs1ixWKFwc6oa5_SwTLyZdwYXkgw6nwn5iA","pay é😀",false,null,"uzWLFYoXBzqhrn9LBMvJlw",1765000601000]},{"ok":["C","AQEAAAAAaTPDQHTUakyG24JVMxO6I8tjD8s","",false,null,"dNRqTIbbglUzE7ojy2MPyw",1765000601000]},{"ok":["C","AQAAAAAAaTPDQJdmBcoKKkHMVak5iUcSOVo",null,false,null,"l2YFygoqQcxVqTmJRxI5Wg",1765000601000]}],"other":["accepted","accepted","accepted","accepted"]},{"own":[{"ok":["C","AQAAAAAAaTPDQG3GjLR3nS7nYoAgXahJleA.lD6H7_e-wPKCvZMHq5F5NSapA6Qv4cwX2qymXC4fIlQ",null,true,null,"bcaMtHedLudigCBdqEmV4A",1765000601000]},{"ok":["C","AQEAAAAAaTPDQBQh99CyQtBVM4FF6c_7dqVwYXkgw6nwn5iA.QB5l4AZ5W9wCufEhXq7zkknKBI22XNT5oGTIjfmQPuQ","pay é😀",true,null,"FCH30LJC0FUzgUXpz_t2pQ",1765000601000]},{"ok":["C","AQEAAAAAaTPDQG8qczAd0LnUD6Wbiz3LoUs.gr5KOl9bjU2O6vHzKILQa1OyGlTrmzKakj9Mup8lm18","",true,null,"bypzMB3QudQPpZuLPcuhSw",1765000601000]},{"ok":["C","AQAAAAAAaTPDQBZH1eOD2PTmlyGmaQU8v30.ZQjNdV1oYYXZS9x_O2xC4rOga5RJ38tIHYrLymYSjRA",null,true,null,"FkfV44PY9OaXIaZpBTy_fQ",1765000601000]}],"other":["invalid_pending","invalid_pending","invalid_pending","invalid_pending"]},{"own":[{"ok":["C","AQAAAAAAaTPDQEjCC6kG8Hx-vpLpHLzhzKE.n2UQ2qbph7m_ggEx16t42nYZThHTpX1bQs3dUa5kA2E",null,true,null,"SMILqQbwfH6-kukcvOHMoQ",1765000601000]},{"ok":["C","AQEAAAAAaTPDQNb7iaAU6aKysDdWaGeOh4dwYXkgw6nwn5iA.IJO45JLVIV-mbMCajp-vx7b25LduEb4NLDySSYiuGlI","pay é😀",true,null,"1vuJoBTporKwN1ZoZ46Hhw",1765000601000]},{"ok":["C","AQEAAAAAaTPDQBqUufJT_IVqyBe85G6G4ho.p9bNQpVVbyoW3_NBGIpO4VOUs8o1EfmnQxu-lr-t93A","",true,null,"GpS58lP8hWrIF7zkbobiGg",1765000601000]},{"ok":["C","AQAAAAAAaTPDQN-mb4mS-YARfzg-romtdQ4.bXaGHdr0oL_ktYj67kzvPHKP6z-gELatjaELdB6UzJU",null,true,null,"36ZviZL5gBF_OD6uia11Dg",1765000601000]}],"other":["invalid_pending","invalid_pending","invalid_pending","invalid_pending"]},{"own":[{"ok":["C","AQAAAAAAaTPDQFrrU726eZhCWsq5GbC45pM.-rxACb5tVMnhvcTHMKKazJ0Bz5LN7-73EPgF6tpE6L0",null,true,null,"WutTvbp5mEJayrkZsLjmkw",1765000601000]},{"ok":["C","AQEAAAAAaTPDQBH1VwW7Dex-3Vs-YQ9aYwFwYXkgw6nwn5iA.YpEPfc9qmiEDK1uW6ErrBaaZh07Jlzq63OQ9shK_wf0","pay é😀",true,null,"EfVXBbsN7H7dWz5hD1pjAQ",1765000601000]},{"ok":["C","AQEAAAAAaTPDQNJWIqSCbinVdQR6V_F6DIw.PXaE-xsaCvQ9QHdkmJs-MjcgP7UJepc83HBdL7H7AUk","",true,null,"0lYipIJuKdV1BHpX8XoMjA",1765000601000]},{"ok":["C","AQAAAAAAaTPDQJ_XhV3jrvWZcpsrEbRbYvI.6rH1iqIABD49tud4Hg40VQpYr39FAtoWBBzgXVaZciA",null,true,null,"n9eFXeOu9ZlymysRtFti8g",1765000601000]}],"other":["invalid_pending","invalid_pending","invalid_pending","invalid_pending"]},{"own":[{"ok":["C","AQAAAAAAaTPDQJ-m5iGLZ2MS7uKMnLfTvCs",null,false,null,"n6bmIYtnYxLu4oyct9O8Kw",1765000601000]},{"ok":["C","AQEAAAAAaTPDQBGCs8Dw618mv7fKrUh3sxhwYXkgw6nwn5iA","pay é😀",false,null,"EYKzwPDrXya_t8qtSHezGA",1765000601000]},{"ok":["C","AQEAAAAAaTPDQDXx0ZZEdCMQbEVwTJjOlDc","",false,null,"NfHRlkR0IxBsRXBMmM6UNw",1765000601000]},{"ok":["C","AQAAAAAAaTPDQENtDD9fVaINFjPZi6p9z04",null,false,null,"Q20MP19Vog0WM9mLqn3PTg",1765000601000]}],"other":["provider_mismatch","provider_mismatch","provider_mismatch","provider_mismatch"]}];

const FEW = {
  "http://[::ffff:127.0.0.1]/cb": "invalid_redirect_uri: redirectUri must use https (http is allowed only on a loopback host)",
  "http://[::127.0.0.1]/cb": "invalid_redirect_uri: redirectUri must use https (http is allowed only on a loopback host)",
  "http://[0:0:0:0:0:0:0:1]/cb": "http://[0:0:0:0:0:0:0:1]/cb",
  "http://[::1.2.3.4]/cb": "invalid_redirect_uri: redirectUri must use https (http is allowed only on a loopback host)",
  "https://[1:2:3:4:5:6:7::]/cb": "https://[1:2:3:4:5:6:7::]/cb",
  "https://[::2:3:4:5:6:7:8]/cb": "https://[::2:3:4:5:6:7:8]/cb",
  "https://[1:2:3:4:5:6:7:8::]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[::1:2:3:4:5:6:7:8]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[1::2::3]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[1:2:3:4:5:6:1.2.3.4]/cb": "https://[1:2:3:4:5:6:1.2.3.4]/cb",
  "https://[1:2:3:4:5:6:7:1.2.3.4]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[1:2:3:4:5::1.2.3.4]/cb": "https://[1:2:3:4:5::1.2.3.4]/cb",
  "https://[1.2.3.4]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[::1.2.3.4:5]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[::01.2.3.4]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[00000::]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://[::]/cb": "https://[::]/cb",
  "http://[::]/cb": "invalid_redirect_uri: redirectUri must use https (http is allowed only on a loopback host)",
  "https://[::1]:65535/cb": "https://[::1]:65535/cb",
  "https://[::1]:65536/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://a:00080/cb": "https://a:00080/cb",
  "https://a:0/cb": "https://a:0/cb",
  "https://a:/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "HTTPS://app.example/cb": "HTTPS://app.example/cb",
  "hTtP://localhost/cb": "hTtP://localhost/cb",
  "https:/app.example/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https:///app.example/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "httpss://app.example/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https//app.example/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "http://localhost/cb": "http://localhost/cb",
  "http://127.1/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "http://0x7f.0.0.1/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "http://127.0.0.1:8080/cb": "http://127.0.0.1:8080/cb",
  "https://xn--abc.example/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://a.XN--b/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://a.xN--/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://a.0xf/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://a.0xg/cb": "https://a.0xg/cb",
  "https://a.0x/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://1.2.3.256/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "https://01.2.3.4/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII",
  "http://user@localhost/cb": "invalid_redirect_uri: redirectUri must not contain user:password@",
  "http://[::ffff:7f00:1]/cb": "invalid_redirect_uri: redirectUri must use https (http is allowed only on a loopback host)",
  "http://[::1%25eth0]/cb": "invalid_redirect_uri: redirectUri is not an absolute http(s) URL in ASCII"
};
