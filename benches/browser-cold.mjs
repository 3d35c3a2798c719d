// Cold start in headless Chromium, where pages run: a fresh browser context
// per run fetches the bytes, then compile + instantiate + first authorize
// URL is timed in the page, as wasm-cold-child.mjs does in Node. For the
// full build and the page build. Prints JSON: { full, page } medians in ms.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const RUNS = Number(process.env.COLD_RUNS ?? 30);
const pkg = new URL("../pkg/", import.meta.url);
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
const dir = new URLSearchParams(location.search).get("build") === "page" ? "/page/" : "/";
const glue = await import(dir + "partner_oauth.js");
const { OAuthClient } = dir === "/page/" ? glue : await import("/io.js"); // the full build's options go through io.js
const bytes = await (await fetch(dir + "partner_oauth_bg.wasm")).arrayBuffer();
const t0 = performance.now();
glue.initSync({ module: new WebAssembly.Module(bytes) });
new OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example.com/cb" }).startAuthorization();
window.coldMs = performance.now() - t0;
</script>`;
const TYPES = { js: "text/javascript", wasm: "application/wasm" };

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
  try {
    const body = await readFile(new URL("." + path, pkg));
    res.writeHead(200, { "content-type": TYPES[path.split(".").pop()] ?? "text/plain" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const result = {};
try {
  for (const build of ["full", "page"]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/?build=${build}`);
      runs.push(await (await page.waitForFunction(() => window.coldMs)).jsonValue());
      await context.close();
    }
    runs.sort((a, b) => a - b);
    result[build] = runs[Math.floor(runs.length / 2)];
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(result));
