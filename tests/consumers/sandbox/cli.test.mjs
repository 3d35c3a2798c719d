// `npx partner-oauth-sandbox`, run from a project that installed the
// tarball, as a user's own tests would: a custom redirect URI, automatic
// consent, the printed config pasted into a client for every provider, and
// `--log`.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { OAuthClient, providers } from "partner-oauth";

const project = join(dirname(fileURLToPath(import.meta.url)), "..");
const REDIRECT = "http://127.0.0.1:9000/oauth/callback";
const children = [];
// npx runs the command as its own child: end the whole process group.
after(() => { for (const child of children) if (child.pid && child.exitCode === null) process.kill(-child.pid); });

/** Starts the command and resolves to the JSON it prints; `stderr` collects what it logs. */
function sandbox(...args) {
  const child = spawn("npx", ["--no-install", "partner-oauth-sandbox", ...args], { cwd: project, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(child);
  sandbox.stderr = "";
  child.stderr.on("data", (chunk) => { sandbox.stderr += chunk; });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      try { resolve(JSON.parse(out)); } catch {}
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}${sandbox.stderr}`)));
  });
}

test("npx partner-oauth-sandbox serves the providers for a custom redirect URI, and its printed config works pasted into a client", async () => {
  const printed = await sandbox("--port", "0", "--redirect-uri", REDIRECT, "--auto-consent", "approve");
  // One sandbox per preset the package lists, custom included.
  assert.deepEqual(Object.keys(printed.providers).sort(), providers().map(({ name }) => name).sort());
  // Every URI registered, the default first (cold try 69: it printed only those given).
  assert.deepEqual(printed.redirectUris, ["https://app.example.com/oauth/callback", REDIRECT]);

  const billit = new OAuthClient({ provider: "billit", ...printed.providers.billit, redirectUri: REDIRECT });
  const { url, pending } = billit.startAuthorization({ payload: "customer=42" });
  const back = (await fetch(url, { redirect: "manual" })).headers.get("location"); // consent is automatic
  assert.ok(back.startsWith(REDIRECT), back);
  const callback = billit.parseCallback(back, pending);
  assert.equal(callback.payload, "customer=42");
  const token = await billit.exchangeCode(callback, pending);
  const orders = await billit.fetchApi(await billit.refresh(token), "/v1/orders");
  assert.equal(orders.status, 200);

  const tropipay = new OAuthClient({ provider: "tropipay", ...printed.providers.tropipay });
  assert.ok((await tropipay.clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] })).accessToken);
});

test("the printed config, pasted into new OAuthClient, connects for every provider", async () => {
  const printed = await sandbox("--port", "0", "--redirect-uri", REDIRECT, "--auto-consent", "approve");
  const names = Object.keys(printed.providers);
  assert.ok(names.length >= 6, names.join(", "));
  for (const provider of names) {
    // Nothing but the printed options and a redirect URI: no preset, no endpoint of our own.
    const client = new OAuthClient({ provider, ...printed.providers[provider], redirectUri: REDIRECT });
    // PayFit's guide gives a scope list and does not mark `scope` optional: its sandbox needs one.
    const scopes = provider === "payfit" ? ["contracts:read"] : undefined;
    const { url, pending } = client.startAuthorization({ payload: `who=${provider}`, scopes });
    const back = (await fetch(url, { redirect: "manual" })).headers.get("location");
    assert.ok(back?.startsWith(REDIRECT), `${provider}: ${back}`);
    const callback = client.parseCallback(back, pending);
    const token = await client.exchangeCode(callback, pending);
    assert.ok(token.accessToken, provider);
  }
  // Public clients are listed on their own, and connect without a secret.
  for (const [provider, clientId] of Object.entries(printed.publicClients)) {
    const { clientSecret, ...options } = printed.providers[provider];
    assert.ok(clientSecret);
    const client = new OAuthClient({ provider, ...options, clientId, redirectUri: REDIRECT });
    const { url, pending } = client.startAuthorization();
    const back = (await fetch(url, { redirect: "manual" })).headers.get("location");
    assert.ok((await client.exchangeCode(client.parseCallback(back, pending), pending)).accessToken, provider);
  }
});

test("--log prints each request answered, without secrets; errors say what was received and what was expected", async () => {
  const printed = await sandbox("--port", "0", "--redirect-uri", REDIRECT, "--auto-consent", "approve", "--log");
  const other = "http://localhost:9000/oauth/callback";
  const billit = new OAuthClient({ provider: "billit", ...printed.providers.billit, redirectUri: other });
  const refused = await fetch(billit.startAuthorization().url, { redirect: "manual" });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), new RegExp(`redirect_uri ${other} is not registered; registered: .*${REDIRECT}`));

  // Factorial's query-string spelling puts the client secret in the URL: the log shows no query.
  const factorial = new OAuthClient({ provider: "factorial", ...printed.providers.factorial, redirectUri: REDIRECT, preset: { tokenBody: "query" } });
  const { url, pending } = factorial.startAuthorization();
  const back = (await fetch(url, { redirect: "manual" })).headers.get("location");
  await factorial.exchangeCode(factorial.parseCallback(back, pending), pending);
  const wrong = new OAuthClient({ provider: "billit", ...printed.providers.billit, clientSecret: "not-the-secret-1234", redirectUri: REDIRECT });
  await assert.rejects(wrong.refresh("no-such-refresh-token"), (e) => e.code === "invalid_client" && /wrong client_secret/.test(e.providerMessage ?? e.message));

  await new Promise((resolve) => setTimeout(resolve, 200));
  const log = sandbox.stderr;
  assert.match(log, /GET \/billit\/Account\/Logon 400 redirect_uri is not registered: redirect_uri http:\/\/localhost:9000\/oauth\/callback is not registered/);
  assert.match(log, /POST \/factorial\/oauth\/token 200/);
  assert.match(log, /POST \/billit\/OAuth2\/token 401 invalid_client: client authentication failed for billit-client: wrong client_secret/);
  for (const secret of ["factorial-secret", "billit-secret", "not-the-secret", "code=", "client_secret="]) {
    assert.ok(!log.includes(secret), `the log holds ${secret}:\n${log}`);
  }
});
