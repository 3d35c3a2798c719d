import * as full from "../pkg/node.js";
const page = await import("../pkg/page-node.js");
const REDIRECT = "https://app.example.com/oauth/callback";
function run(mod, label) {
  const client = new mod.OAuthClient({ provider: "custom", clientId: "bench-client", redirectUri: REDIRECT,
    endpoints: { authorize: "https://as.example.com/authorize", token: "https://as.example.com/token" }, preset: { clientAuth: "body" } });
  const s = client.startAuthorization({ scopes: ["read", "write"] });
  const url = `${REDIRECT}?code=abc&state=${s.state}`;
  for (let r = 0; r < 3; r++) {
    let n = 0; const t0 = performance.now();
    while (performance.now() - t0 < 500) { for (let i = 0; i < 100; i++) client.parseCallback(url, s.pending).code; n += 100; }
    const el = performance.now() - t0;
    let m = 0; const t1 = performance.now();
    while (performance.now() - t1 < 500) { for (let i = 0; i < 100; i++) client.startAuthorization({ scopes: ["read", "write"] }); m += 100; }
    const el2 = performance.now() - t1;
    console.log(label, "callback", (n / el * 1000 | 0), "/s", "start", (m / el2 * 1000 | 0), "/s");
  }
  console.log(s.pending.length, s.state.length);
}
run(full, "full"); run(page, "page");
