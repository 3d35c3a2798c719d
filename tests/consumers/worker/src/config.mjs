// One OAuthClient per provider, from the Worker's bindings. CLIENTS and
// ENDPOINTS are JSON (here pointing at the local sandbox; in production,
// ENDPOINTS is empty and the presets' real endpoints apply).
import { OAuthClient, OAuthError } from "partner-oauth";

export function clientFor(env, provider) {
  const credentials = JSON.parse(env.CLIENTS)[provider];
  if (!credentials) throw new OAuthError("unknown_provider", `no client configured for ${provider}`);
  return new OAuthClient({
    provider,
    ...credentials,
    redirectUri: env.REDIRECT_URI,
    stateKey: env.STATE_KEY,
    stateMaxAge: Number(env.STATE_MAX_AGE ?? 600),
    endpoints: JSON.parse(env.ENDPOINTS ?? "{}")[provider] ?? {},
  });
}
