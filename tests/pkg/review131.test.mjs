// Review 131 (outside reviewer on helper il49's page-only `inline(always)`s on `Endpoints::resolve`,
// `StateKeys::new`, `Client::endpoint`, `providers::preset` and `record::read_start`, 91207a6..9340467, and helper
// ur49's `ip::number` over a private `read_number` answering u32::MAX for "no number", 9340467..db12cdf). Differential
// runs of d6f1564's (/tmp/review128-old/pkg) and af2084e's packages, page (page-node.js) and full (node.js) builds,
// with the same random bytes (xorshift) and clock, gave identical answers everywhere; the values below are af2084e's,
// frozen. Confirmed nothing. The scripts are review131-scripts.mjs; tests/review131_urls.rs compares the parser on
// the same edges with the std reader and the `url` crate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

// The edges (a page client's redirectUri then a start, authorize endpoint then a start, token endpoint, issuer):
// 65535 and 0 (also `00`) are ports, an empty port, six digits (`065535`), 65536, 2^32 - 1, 2^32, `80a`, `8.0` and
// Arabic digits are not; a host of one 32-bit number (WHATWG's 255.255.255.255) is refused whatever the port. The
// issuer is an opaque string (RFC 9207's simple comparison): never parsed, so every one is taken.
const EDGES = {
  "https://as.example/x": "ok ok ok ok",
  "https://as.example:/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://as.example:0/x": "ok ok ok ok",
  "https://as.example:00/x": "ok ok ok ok",
  "https://as.example:65535/x": "ok ok ok ok",
  "https://as.example:065535/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://as.example:65536/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://as.example:4294967295/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://as.example:4294967296/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://as.example:80a/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://as.example:8.0/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://as.example:٨٠/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1/x": "ok ok ok ok",
  "https://127.0.0.1:/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1:0/x": "ok ok ok ok",
  "https://127.0.0.1:00/x": "ok ok ok ok",
  "https://127.0.0.1:65535/x": "ok ok ok ok",
  "https://127.0.0.1:065535/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1:65536/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1:4294967295/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1:4294967296/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1:80a/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1:8.0/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://127.0.0.1:٨٠/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:0/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:00/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:65535/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:065535/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:65536/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:4294967295/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:4294967296/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:80a/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:8.0/x": "invalid_redirect_uri invalid_config invalid_config ok",
  "https://4294967295:٨٠/x": "invalid_redirect_uri invalid_config invalid_config ok",
};

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review131-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const runs = {
  page: run("s.urlEdges(pkg, 'page-node.js').then(({ out, ...r }) => r)"),
  full: run("s.urlEdges(pkg, 'node.js').then(({ out, ...r }) => r)"),
  edges: run(`s.urlEdges(pkg, "page-node.js").then(({ out }) => Object.fromEntries(out.filter(([u]) => u in ${JSON.stringify(EDGES)}).map((r) => [r[0], r.slice(1, 5).map((a) => (Array.isArray(a) ? a[1] : "ok")).join(" ")])))`),
  fuzz: run("s.optionFuzz(pkg, 'page-node.js', 1312, 6000)"),
  fuzzFull: run("s.optionFuzz(pkg, 'node.js', 1313, 3000)"),
};

// Held: 2,448 URLs (http and https; 34 hosts: names, dotted quads at 0 and 255, 256, five and three parts, one
// 32-bit number at 4294967295 and 4294967296, hex and octal forms, leading zeros, trailing dots and letters, Arabic
// and fullwidth digits, bracketed IPv6 with embedded IPv4; 36 ports: empty, `:`, 0, 65535, 65536, 4294967295,
// 4294967296, 2^64, 40-digit runs, leading zeros to 42 digits, `80a`, `8.0`, `0x50`, `+80`, non-ASCII digits,
// percent-encoded) as the constructor's redirectUri (then a start), authorize endpoint (then a start), token
// endpoint and issuer (`preset.issuer`), a callback URL, a client with that issuer sent back its `iss`, the host
// without the port and the port with a leading zero, and a client on that redirectUri called back on it, on its host
// without a port, with the default port, with a leading zero: 29,376 answers per build, each code and
// message identical between d6f1564 and af2084e in the page and full builds.
test("review131 (held): edge ports and IPv4 numbers get d6f1564's answers in the page build", async () => {
  const r = await runs.page;
  assert.equal(r.n, 2448);
  assert.equal(r.sha, "66f67e4da93645f2");
  assert.deepEqual(r.tally, { ok: 5808, issuer_mismatch: 4828, invalid_redirect_uri: 11745, invalid_config: 4698, invalid_callback: 2297 });
});

test("review131 (held): edge ports and IPv4 numbers get d6f1564's answers in the full build", async () => {
  const r = await runs.full;
  assert.equal(r.n, 2448);
  assert.equal(r.sha, "2dc649a3ea8fd94f");
  assert.deepEqual(r.tally, { ok: 5808, issuer_mismatch: 4828, invalid_redirect_uri: 11745, invalid_config: 4698, invalid_callback: 2297 });
});

test("review131 (held): the edges themselves: 65535 is a port, 65536 and 2^32 are not, nor 4294967295 a host", async () => {
  const r = await runs.edges;
  assert.deepEqual(r, EDGES);
});

// Held: 6,000 (page) and 3,000 (full) fuzzed option sets (providers and environments, stateKey counts 0 to 9 and
// lengths 0 to 1,000 bytes in ASCII and UTF-8, endpoints at edge ports and IPv4 forms, issuers, client ids) then a
// start: URL, state and pending value or code and message identical to d6f1564's, and to 250,000 more (seeds 21 to
// 25, 50,000 each, the last on the full build).
test("review131 (held): fuzzed options construct and start as d6f1564's", async () => {
  const r = await runs.fuzz;
  assert.equal(r.sha, "7836da0b55f7e3c2");
  assert.deepEqual(r.tally, { invalid_config: 2678, unknown_provider: 1193, unknown_environment: 1537, ok: 213, input_too_large: 79, invalid_argument: 67, invalid_redirect_uri: 149, missing_endpoint: 84 });
  const f = await runs.fuzzFull;
  assert.equal(f.sha, "d2b868b57c96a54d");
  assert.deepEqual(f.tally, { ok: 117, unknown_provider: 572, invalid_config: 1367, unknown_environment: 737, invalid_redirect_uri: 84, missing_endpoint: 49, invalid_argument: 32, input_too_large: 42 });
});
