// The cold start: bytes in hand → compile + instantiate + first
// authorize URL. The JS glue is imported before the clock starts.
import { readFileSync } from "node:fs";
// `node wasm-cold-child.mjs random` times Node's first crypto.getRandomValues
// alone (it loads Node's WebCrypto), which the first URL includes.
if (process.argv[2] === "random") {
  const t0 = performance.now();
  crypto.getRandomValues(new Uint8Array(48));
  process.stdout.write(String(performance.now() - t0));
  process.exit(0);
}
// `node wasm-cold-child.mjs page` measures the page build (pkg/page/).
const pkg = new URL(process.argv[2] === "page" ? "../pkg/page/" : "../pkg/", import.meta.url);
const glue = await import(new URL("partner_oauth.js", pkg));
// The full build's client as its entries export it (io.js reads the options into the wasm's record); the
// page build's glue reads them itself.
const { OAuthClient } = process.argv[2] === "page" ? glue : await import(new URL("io.js", pkg));
const bytes = readFileSync(new URL("partner_oauth_bg.wasm", pkg));
const t0 = performance.now();
glue.initSync({ module: new WebAssembly.Module(bytes) });
const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example.com/cb" });
client.startAuthorization();
process.stdout.write(String(performance.now() - t0));
