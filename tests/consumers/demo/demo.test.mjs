// The www demo in headless Chromium: approve and deny for all five
// providers, an edited state, an expired flow, the cards' content, no secret
// in the DOM, and a screenshot for README (target/demo.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { startDemo } from "../../../www/server.mjs";
import { providers } from "partner-oauth";

// Every partner the package lists; `custom` is a description you supply, not a partner.
const PARTNERS = providers().map(({ name }) => name).filter((name) => name !== "custom");

let demo, browser;
before(async () => {
  demo = await startDemo({ port: 0, env: {} });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => { await browser?.close(); await demo?.close(); });

let page;
const card = (provider) => page.locator(`.card[data-provider="${provider}"]`).last();
const field = (provider, name) => card(provider).locator(`[data-field="${name}"]`).textContent();

async function connect(button, decision = "approve") {
  await page.goto(demo.url);
  await page.click(button);
  await page.click(`#${decision}`);
  await page.waitForURL(`${demo.url}/`);
}

async function errorShown() {
  await page.waitForSelector("#error:not([hidden])");
  return { code: await page.locator("#error .code").textContent(), message: await page.locator("#error .message").textContent() };
}

test("approve: a card per provider with what a developer wants to see", async () => {
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await connect("#connect-payfit");
  await page.waitForSelector('.card[data-provider="payfit"]');
  assert.equal(await field("payfit", "Token type"), "Bearer");
  assert.equal(await field("payfit", "Expires"), "never expires");
  assert.equal(await field("payfit", "Scopes"), "contracts:read collaborators:read");
  assert.match(await field("payfit", "company_id"), /^co_/);

  await connect("#connect-payout");
  await page.waitForSelector('.card[data-provider="payout"]');
  assert.match(await field("payout", "Expires"), /^in (59|60) min/);
  assert.match(await field("payout", "Refresh token"), /^yes/);

  await page.goto(demo.url);
  await page.check('input[name="factorial-kind"][value="user"]');
  await page.click("#connect-factorial");
  await page.click("#approve");
  await page.waitForSelector('.card[data-provider="factorial"]');
  assert.match(await field("factorial", "Expires"), /^in (119|120) min/);
  assert.equal(await field("factorial", "Scopes"), "read write");

  await connect("#connect-tropipay");
  await page.waitForSelector('.card[data-provider="tropipay"]');
  assert.match(await field("tropipay", "Expires"), /^in (59|60) min/);

  await connect("#connect-billit");
  await page.waitForSelector('.card[data-provider="billit"]');
  assert.equal(await field("billit", "Identifier"), "customer=42&shop=7");
  assert.equal(await page.locator("#error").isHidden(), true);
});

test("client credentials (TropiPay) adds a card with no refresh token", async () => {
  await page.goto(demo.url);
  const before = await page.locator('.card[data-provider="tropipay"]').count();
  await page.click("#connect-tropipay-m2m");
  await page.waitForFunction((n) => document.querySelectorAll('.card[data-provider="tropipay"]').length > n, before);
  assert.equal(await field("tropipay", "Refresh token"), "no");
});

test("refresh, introspect and disconnect buttons", async () => {
  await page.goto(demo.url);
  const billitToken = await field("billit", "Access token");
  await card("billit").locator("button.refresh").click();
  await page.waitForFunction((old) => document.querySelector('.card[data-provider="billit"] [data-field="Access token"]').textContent !== old, billitToken);
  await card("payfit").locator("button.introspect").click();
  await page.waitForSelector('.card[data-provider="payfit"] .introspection:not([hidden])');
  assert.match(await card("payfit").locator(".introspection").textContent(), /"companyId": "co_/);
  await card("factorial").locator("button.disconnect").click();
  await page.waitForFunction(() => !document.querySelector('.card[data-provider="factorial"]'));
});

test("no secret the server holds appears anywhere in the page", async () => {
  await page.goto(demo.url);
  await page.waitForSelector(".card");
  const html = await page.content();
  const secrets = demo.heldSecrets();
  assert.ok(secrets.length >= 6);
  for (const secret of secrets) assert.ok(!html.includes(secret), "a token reached the page");
  for (const secret of ["payfit-secret", "billit-secret", "tropipay-secret"]) assert.ok(!html.includes(secret));
  mkdirSync(new URL("../../../target/", import.meta.url), { recursive: true });
  await page.screenshot({ path: new URL("../../../target/demo.png", import.meta.url).pathname, fullPage: true });
});

test("the page and the server offer every partner the package lists", async () => {
  assert.ok(PARTNERS.length >= 5);
  const offered = await (await fetch(new URL("/api/providers", demo.url))).json();
  assert.deepEqual(offered.map(({ provider }) => provider), PARTNERS);
  await page.goto(demo.url);
  for (const provider of PARTNERS) {
    assert.equal(await page.locator(`#connect-${provider}`).count(), 1, `no Connect button for ${provider}`);
  }
  // A connection's card takes its title from the provider's section of the page.
  await page.waitForSelector('.card[data-provider="payfit"]');
  assert.equal(await card("payfit").locator("h3").textContent(), "PayFit");
});

for (const provider of PARTNERS) {
  test(`deny at ${provider}: access_denied is shown`, async () => {
    await connect(`#connect-${provider}`, "deny");
    assert.equal((await errorShown()).code, "access_denied");
  });
}

test("a state edited in the callback URL: state_mismatch", async () => {
  await page.goto(demo.url);
  await page.click("#connect-billit");
  await page.waitForSelector("#approve");
  const request = await page.locator('input[name="request"]').getAttribute("value");
  const answer = await fetch(new URL("/billit/consent", demo.sandbox.url), {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request, decision: "approve" }),
  });
  const back = new URL(answer.headers.get("location"));
  back.searchParams.set("state", back.searchParams.get("state").slice(0, -3) + "xyz");
  await page.goto(back.toString());
  assert.equal((await errorShown()).code, "state_mismatch");
});

test("an expired flow: state_expired", async () => {
  const quick = await startDemo({ port: 0, env: {}, stateMaxAge: 1 });
  try {
    await page.goto(quick.url);
    await page.click("#connect-payout");
    await page.waitForSelector("#approve");
    await new Promise((r) => setTimeout(r, 2100));
    await page.click("#approve");
    await page.waitForURL(`${quick.url}/`);
    assert.equal((await errorShown()).code, "state_expired");
  } finally {
    await quick.close();
  }
});
