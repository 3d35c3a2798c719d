import * as full from "../pkg/node.js";
const REDIRECT = "https://app.example.com/oauth/callback";
const client = new full.OAuthClient({ provider: "custom", clientId: "bench-client", redirectUri: REDIRECT,
    endpoints: { authorize: "https://as.example.com/authorize", token: "https://as.example.com/token" }, preset: { clientAuth: "body" } });
const s = client.startAuthorization({ scopes: ["read", "write"] });
const url = `${REDIRECT}?code=abc&state=${s.state}`;
const t0 = performance.now();
while (performance.now() - t0 < 4000) { for (let i = 0; i < 100; i++) { client.parseCallback(url, s.pending).code; } }
