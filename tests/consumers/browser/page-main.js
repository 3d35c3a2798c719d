// The same Billit flow on the page build (`partner-oauth/page`): start and
// callback only; the code would go to the server, which exchanges it.
import { OAuthClient, OAuthError } from "partner-oauth/page";

const config = await (await fetch("/config.json")).json();
// This page's own path: it is also served under /csp/ (a CSP test).
const redirectUri = `${location.origin}${location.pathname}`;
const show = (id, value) => { document.getElementById(id).textContent = JSON.stringify(value); };
const client = () => new OAuthClient({ provider: "billit", ...config.clients.billit, redirectUri, endpoints: config.endpoints.billit });

document.getElementById("connect-billit").onclick = () => {
  const { url, pending } = client().startAuthorization({ payload: "customer=42&plan=pro" });
  sessionStorage.setItem("pending", pending);
  location.assign(url);
};

// The buttons work from here on: the module awaited the package's wasm and
// the config first, and the tests wait for this mark before clicking.
document.body.dataset.ready = "true";

if (location.search) {
  const pending = sessionStorage.getItem("pending");
  sessionStorage.removeItem("pending");
  try {
    const c = client();
    const callback = c.parseCallback(location.href, pending ?? "");
    show("result", { payload: callback.payload, codeReceived: callback.code.length > 0, canExchange: typeof c.exchangeCode === "function" });
  } catch (e) {
    show("error", { code: e.code, isOAuthError: e instanceof OAuthError });
  }
}
