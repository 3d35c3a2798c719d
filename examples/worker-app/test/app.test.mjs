// The starter in workerd (Miniflare), bundled as wrangler bundles it, against
// partner-oauth/sandbox: sign in, connect, an API call, a disconnect from a
// form, the denied consent, a refresh, and a connection the provider ends.
//   npm test
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "test/.dist");
const wrangler = readFileSync(join(root, "wrangler.toml"), "utf8");
const setting = (name) => wrangler.match(new RegExp(`^${name} = "([^"]+)"`, "m"))[1];
const ORIGIN = setting("ORIGIN");
const PROVIDERS = ["billit", "tropipay"];

let sandbox, mf;
before(async () => {
  // What wrangler does: one ES module, `cloudflare:*` external, the .wasm a
  // CompiledWasm module beside it.
  mkdirSync(dist, { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, setting("main"))], outfile: join(dist, "index.js"),
    bundle: true, format: "esm", platform: "neutral", conditions: ["workerd", "worker"],
    external: ["cloudflare:*", "*.wasm"], logLevel: "warning",
  });
  copyFileSync(createRequire(import.meta.url).resolve("partner-oauth/partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));
  sandbox = await startSandbox({ autoConsent: "approve", redirectUris: PROVIDERS.map((p) => `${ORIGIN}/connections/${p}/callback`) });
  const config = sandbox.config();
  mf = new Miniflare({
    modules: true, scriptPath: join(dist, "index.js"), modulesRoot: dist,
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: setting("compatibility_date"),
    durableObjects: { CONNECTIONS: setting("class_name") },
    bindings: {
      ORIGIN,
      STATE_KEY: "a-state-key-of-at-least-32-bytes-for-tests",
      TOKEN_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64url")}`,
      // The sandbox's printed config, pasted as is.
      PROVIDERS: JSON.stringify(Object.fromEntries(PROVIDERS.map((p) => [p, config[p]]))),
    },
  });
});
after(async () => { await mf?.dispose(); await sandbox?.close(); });

/** A browser's cookie jar, for the app and the sandbox's redirects. */
function browser() {
  const jar = new Map();
  const keep = (response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      if (/max-age=0/i.test(line)) jar.delete(name); else jar.set(name, pair);
    }
    return response;
  };
  const self = {
    /** A request to the app as the browser sends it: its cookies, Origin on a POST, and a
     * navigation's Fetch Metadata (a page load or a form; `fetch: true` for a script's). */
    async app(path, { form, method = form ? "POST" : "GET", headers = {}, fetch: scripted = false } = {}) {
      const sent = {
        cookie: [...jar.values()].join("; "),
        ...(method === "POST" && { origin: ORIGIN }),
        ...(form && { "content-type": "application/x-www-form-urlencoded" }),
        ...(scripted ? { "sec-fetch-mode": "cors", accept: "*/*" } : { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", accept: "text/html,*/*;q=0.8" }),
        "sec-fetch-site": "same-origin",
        ...headers,
      };
      const body = form ? new URLSearchParams(form).toString() : undefined;
      return keep(await send(new URL(path, ORIGIN), { method, headers: sent, body }));
    },
    async signIn(user) {
      const response = await self.app("/signin", { form: { user } });
      assert.equal(response.status, 303);
    },
    /** Connect: the POST, the provider's consent (the sandbox answers at once), the callback. */
    async connect(provider) {
      const start = await self.app(`/connections/${provider}/connect`, { method: "POST" });
      assert.equal(start.status, 303);
      const consent = await fetch(start.headers.get("location"), { redirect: "manual" });
      const back = consent.headers.get("location");
      assert.ok(back.startsWith(`${ORIGIN}/connections/${provider}/callback?`), back);
      return self.app(back);
    },
    async state(provider) {
      const page = await (await self.app("/")).text();
      return page.match(new RegExp(`data-provider="${provider}"><b>${provider}</b>: <span class="state">([a-z ]+)<`))?.[1];
    },
  };
  return self;
}

/** One request over HTTP to workerd, its headers as given: fetch() would set
 * Sec-Fetch-Mode to "cors" itself, and a browser's navigation says "navigate". */
async function send(url, { method, headers, body }) {
  const entry = await mf.ready;
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(url.pathname + url.search, entry), { method, headers: { ...headers, "mf-original-url": url.href } }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) for (const one of [value].flat()) out.append(name, one);
        const bytes = Buffer.concat(chunks);
        resolve(new Response([204, 304].includes(res.statusCode) ? null : bytes, { status: res.statusCode, headers: out }));
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Raw bytes on one socket to workerd, for what the http client never sends (two
 * Cookie lines, a body cut short); `end` half-closes the socket after them. The
 * answer's status, head and body: once its Content-Length is in, or the socket
 * closes (5 s at most). */
async function sendRaw(text, { end = false } = {}) {
  const entry = await mf.ready;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(entry.port), entry.hostname, () => { socket.write(text); if (end) socket.end(); });
    const chunks = [];
    const answer = () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const head = split < 0 ? all.toString() : all.subarray(0, split).toString();
      const body = split < 0 ? "" : all.subarray(split + 4).toString();
      const length = Number(head.match(/^content-length: *(\d+)/im)?.[1] ?? NaN);
      return { status: Number(head.split(" ")[1]), head, body, complete: Buffer.byteLength(body) >= length };
    };
    socket.setTimeout(5000, () => socket.destroy());
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      if (answer().complete) socket.destroy();
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer()));
  });
}

const admin = (route, body) => fetch(`${sandbox.url}/_sandbox/${route}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
const refreshes = async (provider) => (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json())[provider]?.refresh_token ?? 0;

test("signed out: the sign-in form, and no connection route answers", async () => {
  const visitor = browser();
  assert.match(await (await visitor.app("/")).text(), /action="\/signin"/);
  assert.equal((await visitor.app("/connections/billit/status")).status, 401);
});

test("connect, then the home page shows the connection active", async () => {
  const alice = browser();
  await alice.signIn("alice");
  assert.equal(await alice.state("billit"), "not connected");
  const done = await alice.connect("billit");
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), "/");
  assert.equal(await alice.state("billit"), "active");
  // Another user has no connection.
  const bob = browser();
  await bob.signIn("bob");
  assert.equal(await bob.state("billit"), "not connected");
});

test("an API call through the connection", async () => {
  const alice = browser();
  await alice.signIn("alice-api");
  await alice.connect("billit");
  const response = await alice.app("/call/billit", { form: {} });
  assert.equal(response.status, 200);
  assert.match(await response.text(), /SB-0001/);
});

test("disconnect from a form: the module's POST /connections/:provider/disconnect, back home; another site's post is refused", async () => {
  const alice = browser();
  await alice.signIn("alice-disconnect");
  await alice.connect("tropipay");
  const foreign = await alice.app("/connections/tropipay/disconnect", { method: "POST", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get("location"), null);
  assert.equal((await foreign.json()).error, "cross_site_request");
  // A link (a GET) never disconnects either.
  assert.equal((await alice.app("/connections/tropipay/disconnect")).status, 403);
  assert.equal(await alice.state("tropipay"), "active");
  // The page's form is the module's route.
  assert.match(await (await alice.app("/")).text(), /<form method="post" action="\/connections\/tropipay\/disconnect"><button>Disconnect/);
  const response = await alice.app("/connections/tropipay/disconnect", { form: {} });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/");
  assert.equal(await alice.state("tropipay"), "disconnected");
  // Its tokens are gone: the API call is refused, not made.
  assert.equal((await alice.app("/call/tropipay", { form: {} })).status, 409);
});

test("the starter's own forms refuse another site's post, naming both origins", async () => {
  const alice = browser();
  await alice.signIn("alice-foreign");
  const foreign = await alice.app("/call/billit", { method: "POST", headers: { origin: "https://evil.example" } });
  assert.equal(foreign.status, 403);
  assert.equal(await foreign.text(), `forbidden: a form must post from ${ORIGIN} (ORIGIN); this one came from "https://evil.example"`);
});

// The module sends a callback's browser to returnTo ("/"): as is on success (above), with the code on failure.
test("denied consent: back home with ?provider=billit&error=access_denied", async () => {
  const alice = browser();
  await alice.signIn("alice-deny");
  await admin("consent", { decision: "deny" });
  try {
    const back = await alice.connect("billit");
    assert.equal(back.status, 303);
    const location = new URL(back.headers.get("location"), ORIGIN);
    assert.equal(back.headers.get("location"), "/?provider=billit&error=access_denied");
    assert.match(await (await alice.app(location.pathname + location.search)).text(), /class="error">access_denied \(billit\)/);
    assert.equal(await alice.state("billit"), "not connected");
  } finally {
    await admin("consent", { decision: "approve" });
  }
});

test("refresh: an expired token is refreshed and the call answers", async () => {
  const bob = browser();
  await bob.signIn("bob-refresh");
  await bob.connect("tropipay");
  const before = await refreshes("tropipay");
  await admin("clock", { advance: 7200 }); // every token the sandbox issued has expired
  const response = await bob.app("/call/tropipay", { form: {} });
  assert.equal(response.status, 200);
  assert.match(await response.text(), /sandbox@tropipay.test/);
  assert.equal(await refreshes("tropipay"), before + 1);
  assert.equal(await bob.state("tropipay"), "active");
});

test("exhausted: the provider refuses the refresh; the user is asked to reconnect", async () => {
  const carol = browser();
  await carol.signIn("carol");
  await carol.connect("billit");
  await admin("switch", { clientId: "billit-client", refuseRefresh: true });
  try {
    await admin("clock", { advance: 7200 });
    const response = await carol.app("/call/billit", { form: {} });
    assert.equal(response.status, 409);
    assert.match(await response.text(), /connection_exhausted|invalid_grant/);
    assert.equal(await carol.state("billit"), "exhausted");
    assert.match(await (await carol.app("/")).text(), /<button>Reconnect<\/button>/);
  } finally {
    await admin("switch", { clientId: "billit-client", reset: true });
  }
  await carol.connect("billit");
  assert.equal(await carol.state("billit"), "active");
});

// Findings of the outside review of the starter (SECURITY.md), each test first.
test("finding: the sign-in cookie is __Host- prefixed, Secure, HttpOnly and SameSite=Lax", async () => {
  const alice = browser();
  const response = await alice.app("/signin", { form: { user: "alice-cookie" } });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("set-cookie"), "__Host-user=alice-cookie; Path=/; HttpOnly; Secure; SameSite=Lax");
  const out = await alice.app("/signout", { form: {} });
  assert.equal(out.headers.get("set-cookie"), "__Host-user=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0");
});

test("finding: every page of the starter refuses to be framed (clickjacking of its forms)", async () => {
  const alice = browser();
  const pages = [await alice.app("/")];
  await alice.signIn("alice-frame");
  await alice.connect("billit");
  pages.push(await alice.app("/"), await alice.app("/call/billit", { form: {} }), await alice.app("/nowhere"));
  for (const page of pages) {
    assert.equal(page.headers.get("content-security-policy"), "frame-ancestors 'none'", page.url);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
  }
});

test("finding: a malformed user cookie reads as signed out, not an untyped 500", async () => {
  const visitor = browser();
  const response = await visitor.app("/", { headers: { cookie: "user=%; __Host-user=%E0%A4%A" } });
  assert.equal(response.status, 200);
  assert.match(await response.text(), /action="\/signin"/);
});

test("finding: a call to a provider the app does not configure is a 404, not an untyped 500", async () => {
  const alice = browser();
  await alice.signIn("alice-unknown");
  for (const provider of ["nope", "constructor", "payfit"]) {
    const response = await alice.app(`/call/${provider}`, { form: {} });
    assert.equal(response.status, 404, provider);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
  }
});

// Findings of the second outside review of the starter (SECURITY.md), each test first.
test("finding: the home page shows an error only as a listed code of a configured provider (another site's link cannot write on it)", async () => {
  const alice = browser();
  await alice.signIn("alice-spoof");
  // Anyone can send a signed-in user to "/" with any query (README: treat error as one code of errorCodes()).
  const spoofed = await (await alice.app("/?provider=billit&error=Your%20account%20is%20locked.%20Call%20%2B1-555-0100")).text();
  assert.doesNotMatch(spoofed, /locked|555/);
  assert.doesNotMatch(spoofed, /class="error"/);
  const named = await (await alice.app("/?provider=Call%20%2B1-555-0100&error=access_denied")).text();
  assert.doesNotMatch(named, /555/);
  // A listed code for a configured provider still shows (the denied consent above is one).
  assert.match(await (await alice.app("/?provider=billit&error=state_expired")).text(), /class="error">state_expired \(billit\)/);
});

test("finding: a user cookie the sign-in never writes (over its 64 characters) reads as signed out, not an untyped 500", async () => {
  const visitor = browser();
  // 600: past the module's 512-character owner, which threw from connection() on the home page.
  for (const length of [600, 65]) {
    const response = await visitor.app("/", { headers: { cookie: `__Host-user=${"a".repeat(length)}` } });
    assert.equal(response.status, 200, String(length));
    assert.match(await response.text(), /action="\/signin"/);
  }
  const response = await visitor.app("/", { headers: { cookie: `__Host-user=${"a".repeat(64)}` } });
  assert.match(await response.text(), /Signed in as a{64} /);
});

test("finding: a name whose 64th character is an emoji signs in, not an untyped 500 (cut inside it, a lone surrogate has no percent-encoding)", async () => {
  const alice = browser();
  const response = await alice.app("/signin", { form: { user: `a${"😀".repeat(70)}` } });
  assert.equal(response.status, 303);
  assert.match(await (await alice.app("/")).text(), new RegExp(`Signed in as a${"😀".repeat(63)} `));
});

test("findings 2-4's fixes hold against their bypasses: look-alike cookies, case and encoding variants, null and same-site origins", async () => {
  const alice = browser();
  await alice.signIn("alice-bypass");
  // Only the exact __Host-user name is read: a look-alike a sibling or plain HTTP could set is ignored.
  for (const cookie of ["user=mallory", "__host-user=mallory", "__HOST-user=mallory", " __Host-user =mallory"]) {
    assert.match(await (await alice.app("/", { headers: { cookie } })).text(), /action="\/signin"/, cookie);
  }
  // /call/ answers only a configured provider's exact name.
  for (const path of ["/call/BILLIT", "/call/%62illit", "/call/billit/", "/CALL/billit"]) {
    const response = await alice.app(path, { form: {} });
    assert.equal(response.status, 404, path);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
  }
  // A sandboxed frame's "null", another port of the same host, and no Origin at all: refused.
  const port = new URL(ORIGIN).port;
  for (const origin of ["null", ORIGIN.replace(`:${port}`, `:${Number(port) + 1}`), ORIGIN.replace("http:", "https:")]) {
    for (const path of ["/signin", "/signout", "/call/billit"]) {
      // No body: here a 403 left a form body unread and the next request on the socket hung up.
      assert.equal((await alice.app(path, { method: "POST", headers: { origin } })).status, 403, `${origin} ${path}`);
    }
  }
  assert.match(await (await alice.app("/")).text(), /Signed in as alice-bypass /);
});

// Hardening from the second outside review's unconfirmed notes (SECURITY.md), each test first.
test("hardening: two __Host-user cookies read as signed out (a nameless cookie tossed in by an old browser looks like one)", async () => {
  const visitor = browser();
  const response = await visitor.app("/", { headers: { cookie: "__Host-user=mallory; __Host-user=alice" } });
  assert.equal(response.status, 200);
  assert.match(await response.text(), /action="\/signin"/);
});

test("hardening: every page is no-store (a shared browser's back button after sign-out shows nothing)", async () => {
  const alice = browser();
  const pages = [await alice.app("/")];
  await alice.signIn("alice-store");
  pages.push(await alice.app("/"), await alice.app("/nowhere"), await alice.app("/call/nope", { form: {} }));
  for (const page of pages) assert.equal(page.headers.get("cache-control"), "no-store", page.url);
});

test("hardening: a sign-in body past 4 KiB is refused with 413 before it is read whole", async () => {
  const alice = browser();
  // Just past the limit: a body far larger is reset mid-write once the answer is sent.
  const response = await alice.app("/signin", { form: { user: "a", filler: "x".repeat(4200) } });
  assert.equal(response.status, 413);
  assert.equal(response.headers.get("set-cookie"), null);
  await alice.signIn("alice-small");
  assert.match(await (await alice.app("/")).text(), /Signed in as alice-small /);
});

// Findings of the third outside review of the starter (SECURITY.md), each test first.
test("finding: two __Host-user cookies joined by a comma (two Cookie lines, as workerd passes them on) read as signed out, not as a third user", async () => {
  const visitor = browser();
  // workerd joins a repeated Cookie field with ", " (HTTP/2 browsers send each cookie as its own field):
  // the hardening's split on ";" then sees one cookie, and "mallory, __Host-user=alice" is the owner.
  const joined = await visitor.app("/", { headers: { cookie: "__Host-user=mallory, __Host-user=alice" } });
  assert.equal(joined.status, 200);
  assert.match(await joined.text(), /action="\/signin"/);
  const lines = await sendRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: __Host-user=mallory\r\nCookie: __Host-user=alice\r\nConnection: close\r\n\r\n");
  assert.equal(lines.status, 200);
  assert.doesNotMatch(lines.body, /Signed in as/);
  assert.match(lines.body, /action="\/signin"/);
});

// Review of findings 11-13's fix: browsers allow "," in a cookie's value, so
// a split on "," let any cookie writer (a sibling subdomain, page script)
// smuggle a __Host-user in another cookie's value.
test("finding: a __Host-user smuggled in another cookie's value after a comma is not read as the sign-in cookie", async () => {
  const visitor = browser();
  const planted = await visitor.app("/", { headers: { cookie: "_ga=GA1.2,__Host-user=mallory" } });
  assert.equal(planted.status, 200);
  assert.doesNotMatch(await planted.text(), /Signed in as/);
  const beside = await visitor.app("/", { headers: { cookie: "_ga=GA1.2,__Host-user=mallory; __Host-user=alice" } });
  assert.match(await beside.text(), /Signed in as alice/);
});

test("finding: a sign-in body cut short (the client ends before its Content-Length or last chunk) is a 4xx, not an untyped 500 with the runtime's error", async () => {
  // smallForm's read rejects ("Network connection lost") and nothing catches it: the handler throws.
  for (const [framing, body] of [["Content-Length: 100", "user=alice"], ["Transfer-Encoding: chunked", "a\r\nuser=alice\r\n"]]) {
    const response = await sendRaw(`POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\nContent-Type: application/x-www-form-urlencoded\r\n${framing}\r\n\r\n${body}`, { end: true });
    assert.ok(response.status >= 400 && response.status < 500, `${framing}: ${response.status} ${response.body}`);
    assert.doesNotMatch(response.head, /set-cookie/i);
    // Under Miniflare (and so `wrangler dev`, `npm run dev:node`), the 500 carried the error and a stack line with a local path.
    assert.doesNotMatch(response.body, /Error|at async|file:/);
  }
});

test("finding: a cookie whose name is a Unicode space then __Host-user (no __Host- prefix: a sibling subdomain may set it) is not read as the sign-in cookie", async () => {
  // Browsers keep UTF-8 in cookie names and trim only SP and HTAB; the starter's trim() also drops
  // NBSP, U+3000, the BOM, and reads what is left as __Host-user.
  const page = async (cookie) => (await sendRaw(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`)).body;
  for (const space of ["\u00a0", "\u3000", "\ufeff"]) {
    const name = `${space}__Host-user`;
    // Alone (a signed-out visitor): not signed in as the planter's name.
    assert.match(await page(`${name}=mallory`), /action="\/signin"/, JSON.stringify(name));
    // Beside the real cookie: the user stays signed in (the planter cannot sign them out either).
    assert.match(await page(`__Host-user=alice; ${name}=mallory`), /Signed in as alice /, JSON.stringify(name));
  }
});

// A newcomer who left .dev.vars' keys empty saw only "vault_key_error (billit)".
test("a setup error says what to fill: vault_key_error names TOKEN_KEYS, invalid_config STATE_KEY and PROVIDERS", async () => {
  const alice = browser();
  await alice.signIn("alice-setup");
  const keys = await (await alice.app("/?provider=billit&error=vault_key_error")).text();
  assert.match(keys, /class="error">vault_key_error \(billit\): [^<]*TOKEN_KEYS[^<]*\.dev\.vars/);
  const config = await (await alice.app("/?provider=billit&error=invalid_config")).text();
  assert.match(config, /class="error">invalid_config \(billit\): [^<]*STATE_KEY[^<]*PROVIDERS/);
  // Any other code shows as before, without a hint.
  assert.match(await (await alice.app("/?provider=billit&error=access_denied")).text(), /class="error">access_denied \(billit\)<\/p>/);
});
