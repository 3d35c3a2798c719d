// The demo (www/demo.mjs): its Worker in workerd on partner-oauth/worker from
// the packed tarball, with the sandbox beside it, driven in headless
// Chromium. Each provider runs the steps it supports, from STEPS: connect,
// an API call through the connection, a refresh, a backoff, exhausted,
// reconnect, disconnect (PayFit ends by uninstall). Then today's checks: deny,
// an edited state, an expired flow, no token in the DOM, and .env's real
// mode. With DEMO_SCREENSHOTS=<dir> (scripts/demo-screenshots.sh) it saves a
// card per state.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import http from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { providers } from "partner-oauth";
import { startDemo } from "../../../www/demo.mjs";

const consumers = join(dirname(fileURLToPath(import.meta.url)), "..");
const SHOTS = process.env.DEMO_SCREENSHOTS;
// Every partner the package lists; `custom` is a description you supply, not a partner.
const PARTNERS = providers().map(({ name }) => name).filter((name) => name !== "custom");

// What each provider supports. `api`: what its call answers (Payout: no
// sandbox API). `kind`: the token kind whose lifecycle runs (Factorial's
// company token never expires). `refresh`: its tokens expire and refresh.
// `fault`: the transient failure that puts it in backoff. `end`: how it ends.
const STEPS = {
  payfit: { api: /→ 200\n.*Sandbox SAS/s, refresh: false, end: "uninstall" },
  payout: { api: null, refresh: true, fault: "limited", end: "refuse" },
  factorial: { api: /→ 200/, kind: "user", neverExpiring: "company", refresh: true, fault: "unavailable", end: "refuse" },
  tropipay: { api: /→ 200\n.*sandbox@tropipay.test/s, refresh: true, fault: "unavailable", slow: true, end: "refuse" },
  billit: { api: /→ 200\n.*SB-0001/s, refresh: true, fault: "limited", end: "refuse" },
};

let demo, browser;
before(async () => {
  [demo, browser] = await Promise.all([
    startDemo({ port: 0, env: {}, from: consumers }),
    chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }),
  ]);
});
after(async () => { await browser?.close(); await demo?.close(); });

async function open(url = demo.url) {
  // A context of its own: its own visitor cookie, so its own connections.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector("body[data-ready]");
  return page;
}

const card = (page, provider) => page.locator(`.card[data-provider="${provider}"]`);
const field = (page, provider, name) => card(page, provider).locator(`[data-field="${name}"]`).textContent();
const waitState = (page, provider, state, timeout = 20000) => page.waitForSelector(`.card[data-provider="${provider}"][data-state="${state}"]`, { timeout });
const waitEvent = (page, provider, type, timeout = 20000) => page.waitForSelector(`#events li[data-provider="${provider}"][data-type="${type}"]`, { timeout, state: "attached" });
const events = (page, provider, type) => page.locator(`#events li[data-provider="${provider}"][data-type="${type}"]`).count();

async function connect(page, provider, { kind, decision = "approve", base = demo.url } = {}) {
  const form = kind ? `form[data-kind="${kind}"]` : "form";
  await card(page, provider).locator(`${form} button.connect`).click();
  await page.click(`#${decision}`);
  await page.waitForURL((url) => url.origin === base);
  await page.waitForSelector("body[data-ready]");
}

async function fault(page, provider, name) {
  const answered = page.waitForResponse((r) => r.url().endsWith(`/demo/fault/${provider}/${name}`));
  await card(page, provider).locator(`button.fault-${name}`).click();
  assert.equal((await answered).status(), 200);
}

async function callApi(page, provider) {
  const answered = page.waitForResponse((r) => r.url().includes(`/connections/${provider}/api/`));
  await card(page, provider).locator("button.call").click();
  await answered;
  await page.waitForFunction((p) => document.querySelector(`.card[data-provider="${p}"] .api`).textContent.includes("→"), provider);
  return card(page, provider).locator(".api").textContent();
}

async function shot(page, provider, state) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await card(page, provider).screenshot({ path: join(SHOTS, `${state}.png`) });
}

const errorShown = async (page) => {
  await page.waitForSelector("#error:not([hidden])");
  return page.locator("#error .code").textContent();
};

test("the page offers every partner the package lists", async () => {
  assert.deepEqual(Object.keys(STEPS).sort(), [...PARTNERS].sort());
  const page = await open();
  for (const provider of PARTNERS) assert.equal(await card(page, provider).getAttribute("data-state"), "not connected");
  await page.context().close();
});

// Concurrent (each test is its own visitor): mostly waiting for refreshes.
// The sandbox's switches are per client, so whatever exchanges a code
// outside a lifecycle runs after this group.
describe("each provider's lifecycle, and the refused flows", { concurrency: true }, () => {
  for (const [provider, steps] of Object.entries(STEPS)) {
    test(`${provider}: its lifecycle, on its card`, async () => {
      const page = await open();
      try {
        if (steps.neverExpiring) {
          await connect(page, provider, { kind: steps.neverExpiring });
          await waitState(page, provider, "active");
          assert.equal(await field(page, provider, "Token"), "never expires");
          assert.equal(await field(page, provider, "Next refresh"), "none");
        }
        if (steps.refresh) await fault(page, provider, "short");
        await connect(page, provider, { kind: steps.kind });
        await waitState(page, provider, "active");
        if (steps.api) assert.match(await callApi(page, provider), steps.api);
        if (!steps.refresh) {
          assert.equal(await field(page, provider, "Token"), "never expires");
          if (provider === "payfit") assert.match(await field(page, provider, "Company"), /^co_/);
        } else {
          assert.match(await field(page, provider, "Token"), /^expires in \d+ s$/);
          assert.match(await field(page, provider, "Next refresh"), /^in \d+ s$/);
          if (provider === "payout") assert.match(await field(page, provider, "Refresh token"), /^expires in (89|90) d$/);
          if (steps.slow) {
            // Slow answers: the refresh is in flight long enough to be seen.
            await fault(page, provider, "slow");
            await waitState(page, provider, "refreshing");
            if (provider === "tropipay") await shot(page, provider, "refreshing");
          }
          await waitEvent(page, provider, "refreshed");
          await waitState(page, provider, "active");
          if (provider === "tropipay") await shot(page, provider, "active");
          // A 503 or 429 with Retry-After: backoff; then the provider refuses
          // the grant: exhausted (active → refreshing → backoff → exhausted).
          await fault(page, provider, "reset");
          await fault(page, provider, "short");
          await fault(page, provider, steps.fault);
          await waitState(page, provider, "backoff");
          if (provider === "tropipay") await shot(page, provider, "backoff");
          assert.notEqual(await field(page, provider, "Last error"), "—");
          await waitEvent(page, provider, "refresh_failed");
        }
        await fault(page, provider, steps.end);
        if (steps.end === "uninstall") assert.match(await callApi(page, provider), /→ (401|409)/);
        await waitState(page, provider, "exhausted", 30000);
        await waitEvent(page, provider, "exhausted");
        if (provider === "tropipay") await shot(page, provider, "exhausted");
        if (steps.api) assert.equal(await card(page, provider).locator("button.call").isDisabled(), true);
        // Reconnect, then disconnect.
        await fault(page, provider, "reset");
        await connect(page, provider, { kind: steps.kind });
        await waitState(page, provider, "active");
        if (steps.api) assert.match(await callApi(page, provider), steps.api);
        await card(page, provider).locator("button.disconnect").click();
        await waitState(page, provider, "disconnected");
        await waitEvent(page, provider, "disconnected");
        if (provider === "tropipay") await shot(page, provider, "disconnected");
      } finally {
        await page.context().close();
      }
    });
  }
  // Beside the lifecycles, in one page: neither touches a token endpoint.
  test("deny at each provider: access_denied; a state edited in the callback URL: state_mismatch", async () => {
    const page = await open();
    for (const provider of PARTNERS) {
      await connect(page, provider, { kind: STEPS[provider].kind, decision: "deny" });
      assert.equal(await errorShown(page), "access_denied", provider);
    }
    await card(page, "billit").locator("button.connect").click();
    await page.waitForSelector("#approve");
    const request = await page.locator('input[name="request"]').getAttribute("value");
    const answer = await fetch(new URL("/billit/consent", demo.sandbox.url), {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request, decision: "approve" }),
    });
    const back = new URL(answer.headers.get("location"));
    back.searchParams.set("state", back.searchParams.get("state").slice(0, -3) + "xyz");
    await page.goto(back.toString());
    assert.equal(await errorShown(page), "state_mismatch");
    await page.context().close();
  });
});

test("no token the sandbox issued, and no client secret, appears in the page", async () => {
  const page = await open();
  for (const provider of ["payfit", "tropipay", "billit"]) {
    await connect(page, provider);
    await waitState(page, provider, "active");
    await callApi(page, provider);
  }
  const html = await page.content();
  const { access, refresh } = await (await fetch(new URL("/_sandbox/tokens", demo.sandbox.url))).json();
  assert.ok(access.length >= 5 && refresh.length >= 3);
  for (const secret of [...access, ...refresh]) assert.ok(!html.includes(secret), "a token reached the page");
  for (const provider of PARTNERS) assert.ok(!html.includes(`${provider}-secret`));
  if (SHOTS) {
    await page.waitForFunction(() => document.querySelectorAll('#events li[data-type="connected"]').length >= 3);
    await page.screenshot({ path: join(SHOTS, "demo.png") });
  }
  await page.context().close();
});

test("expire now: the sandbox's clock jumps; the next API call refreshes and answers", async () => {
  const page = await open();
  await connect(page, "billit");
  await waitState(page, "billit", "active");
  const before = await events(page, "billit", "refreshed");
  await fault(page, "billit", "expire");
  assert.match(await callApi(page, "billit"), STEPS.billit.api);
  await page.waitForFunction((n) => document.querySelectorAll('#events li[data-provider="billit"][data-type="refreshed"]').length > n, before);
  await page.context().close();
});

// Another port of 127.0.0.1 is the same site (cookies ignore ports, and SameSite
// counts scheme and host), so its page gets the visitor's cookie in a frame.
test("finding: a page on another port of 127.0.0.1 cannot frame the demo (its Disconnect and fault buttons, with the visitor's cookie)", async () => {
  const page = await open();
  const other = http.createServer((req, res) => res.end(`<iframe src="${demo.url}/" width="1200" height="800"></iframe>`));
  await new Promise((resolve) => other.listen(0, "127.0.0.1", resolve));
  try {
    await connect(page, "billit");
    await waitState(page, "billit", "active");
    const hostile = await page.context().newPage();
    await hostile.goto(`http://127.0.0.1:${other.address().port}/`);
    const framed = hostile.frames().find((frame) => frame !== hostile.mainFrame());
    await framed.waitForSelector("body[data-ready]", { timeout: 3000 }).catch(() => {});
    const state = await framed.evaluate(() => document.querySelector('.card[data-provider="billit"]')?.dataset.state ?? null).catch(() => null);
    assert.equal(state, null, "the framed demo showed the visitor's billit card");
  } finally {
    other.close();
    await page.context().close();
  }
});

// A second demo: flows that last 1 s, and real credentials for Billit in its .env.
describe("a demo with 1-second flows and Billit's real credentials", () => {
  const REAL = { BILLIT_CLIENT_ID: "real-billit-id", BILLIT_CLIENT_SECRET: "real-billit-secret", BILLIT_ENVIRONMENT: "sandbox" };
  let other;
  before(async () => { other = await startDemo({ port: 0, env: REAL, from: consumers, stateMaxAge: 1 }); });
  after(async () => { await other?.close(); });

  // The flow's cookie lives exactly as long as its state (the module's
  // Max-Age is stateMaxAge), so the browser has dropped it by then: the
  // module answers missing_pending rather than state_expired.
  test("an expired flow: the flow is gone", async () => {
    const page = await open(other.url);
    await card(page, "payout").locator("button.connect").click();
    await page.waitForSelector("#approve");
    await new Promise((r) => setTimeout(r, 2100));
    await page.click("#approve");
    await page.waitForURL((url) => url.origin === other.url);
    assert.equal(await errorShown(page), "missing_pending");
    await page.context().close();
  });

  test(".env credentials: that provider uses its real endpoints, without sandbox switches", async () => {
    const offered = await (await fetch(new URL("/demo/providers", other.url))).json();
    assert.deepEqual(offered.filter((p) => p.real).map((p) => p.provider), ["billit"]);
    const visitor = (await fetch(new URL("/", other.url))).headers.getSetCookie()[0].split(";")[0];
    const start = await fetch(new URL("/connections/billit/connect", other.url), { method: "POST", redirect: "manual", headers: { origin: other.url, cookie: visitor } });
    assert.equal(start.status, 303);
    const authorize = new URL(start.headers.get("location"));
    assert.equal(authorize.origin, "https://my.sandbox.billit.be");
    assert.equal(authorize.searchParams.get("client_id"), "real-billit-id");
    assert.equal(authorize.searchParams.get("redirect_uri"), `${other.url}/connections/billit/callback`);
    const switched = await fetch(new URL("/demo/fault/billit/refuse", other.url), { method: "POST", headers: { origin: other.url } });
    assert.equal(switched.status, 400);
  });
});
