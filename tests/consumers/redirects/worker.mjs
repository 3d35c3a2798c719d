// A Worker that refreshes and calls an API through endpoints that redirect
// (finding 9): in workerd, nothing may follow them.
import { OAuthClient } from "partner-oauth";

export default {
  async fetch(request, env) {
    const client = new OAuthClient({
      provider: "custom", clientId: "cid", clientSecret: "the-secret", redirectUri: "https://worker.example/cb",
      endpoints: { authorize: `${env.AS}/authorize`, token: `${env.AS}/token`, api: `${env.AS}/api` },
    });
    const outcome = {};
    try {
      await client.refresh("the-refresh-token");
      outcome.refresh = "resolved";
    } catch (e) {
      outcome.refresh = e.code;
    }
    const response = await client.fetchApi("the-access-token", "/me");
    outcome.apiStatus = response.status;
    return Response.json(outcome);
  },
};
