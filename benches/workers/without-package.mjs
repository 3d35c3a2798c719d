// The same Worker without the package: the runtime's own URL and random
// bytes build a comparable authorize URL (state + S256 challenge).
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export default {
  async fetch() {
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
    const url = new URL("https://my.billit.be/Account/Logon/OAuth2");
    url.search = new URLSearchParams({ client_id: "c", redirect_uri: "https://app.example.com/cb", response_type: "code",
      state: b64url(crypto.getRandomValues(new Uint8Array(32))), code_challenge: challenge, code_challenge_method: "S256" }).toString();
    return new Response(url.href);
  },
};
