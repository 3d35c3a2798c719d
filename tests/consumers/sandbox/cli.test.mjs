// `npx partner-oauth-sandbox`, run from a project that installed the
// tarball, as a user's own tests would: a custom redirect URI, automatic
// consent, and the printed endpoints pasted into a client.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { OAuthClient, providers } from "partner-oauth";

const project = join(dirname(fileURLToPath(import.meta.url)), "..");
const REDIRECT = "http://127.0.0.1:9000/oauth/callback";
let child;
// npx runs the command as its own child: end the whole process group.
after(() => { if (child?.pid) process.kill(-child.pid); });

/** Starts the command and resolves to the JSON it prints. */
function sandbox(...args) {
  child = spawn("npx", ["--no-install", "partner-oauth-sandbox", ...args], { cwd: project, stdio: ["ignore", "pipe", "inherit"], detached: true });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      try { resolve(JSON.parse(out)); } catch {}
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

test("npx partner-oauth-sandbox serves the providers for a custom redirect URI, and its printed config works pasted into a client", async () => {
  const printed = await sandbox("--port", "0", "--redirect-uri", REDIRECT, "--auto-consent", "approve");
  // One sandbox per preset the package lists, custom included.
  assert.deepEqual(Object.keys(printed.providers).sort(), providers().map(({ name }) => name).sort());
  assert.deepEqual(printed.redirectUris, [REDIRECT]);

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
