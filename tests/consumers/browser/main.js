// A page that starts flows and handles the callback with the installed
// package. Config (sandbox endpoints) comes from /config.json.
import { OAuthClient, OAuthError } from "partner-oauth";

const config = await (await fetch("/config.json")).json();
const redirectUri = `${location.origin}/`;
const show = (id, value) => { document.getElementById(id).textContent = typeof value === "string" ? value : JSON.stringify(value); };

function client(provider) {
  return new OAuthClient({ provider, ...config.clients[provider], redirectUri, endpoints: config.endpoints[provider] });
}

function connect(provider, options) {
  const { url, pending } = client(provider).startAuthorization(options);
  sessionStorage.setItem("pending", JSON.stringify({ provider, pending }));
  location.assign(url);
}

document.getElementById("connect-custom").onclick = () => connect("custom", { scopes: ["profile"] });
document.getElementById("connect-billit").onclick = () => connect("billit", { payload: "customer=42&plan=pro" });
// Back from the provider.
// The buttons work from here on: the module awaited the package's wasm and
// the config first, and the tests wait for this mark before clicking.
document.body.dataset.ready = "true";

if (location.search) {
  const saved = JSON.parse(sessionStorage.getItem("pending") ?? "null");
  sessionStorage.removeItem("pending");
  try {
    if (!saved) throw new OAuthError("invalid_pending", "no pending authorization in this tab");
    const c = client(saved.provider);
    const callback = c.parseCallback(location.href, saved.pending);
    history.replaceState(null, "", "/");
    if (saved.provider === "custom") {
      // A public client may exchange in the page: PKCE, no secret.
      const token = await c.exchangeCode(callback, saved.pending);
      show("result", { provider: "custom", tokenType: token.tokenType, scopes: token.scopes, hasRefresh: !!token.refreshToken, expiresIn: Math.round((token.expiresAt - Date.now()) / 1000) });
    } else {
      // Billit needs the client secret: the code goes to the server.
      show("result", { provider: saved.provider, payload: callback.payload, codeReceived: callback.code.length > 0 });
    }
  } catch (e) {
    show("error", { code: e.code, message: e.message, isOAuthError: e instanceof OAuthError });
  }
}
