// Compiled with `tsc --noEmit`: the public API's types accept correct use and
// refuse misuse (each @ts-expect-error must be an error, or tsc fails).
import { OAuthClient, OAuthError, errorCodes, providers, pkceChallenge, newPkceVerifier } from "partner-oauth";
import type { Token, ErrorCode, Pending, CallbackResult, Introspection, Environment, ProviderInfo } from "partner-oauth";

const billit = new OAuthClient({ provider: "billit", environment: "sandbox", clientId: "c", redirectUri: "https://a.example/cb" });
const started = billit.startAuthorization({ payload: "customer=42" });
const pending: Pending = started.pending;
const callback: CallbackResult = billit.parseCallback("https://a.example/cb?code=x&state=y", pending);
const payload: string | null = callback.payload;
const flow: [string, number] = [callback.flowId, callback.flowExpiresAt];

async function server(): Promise<void> {
  const factorial = new OAuthClient({ provider: "factorial", environment: "demo", clientId: "c", clientSecret: "s", redirectUri: "https://a.example/cb", fetch });
  factorial.startAuthorization({ tokenKind: "user", scopes: ["read"] });
  const token: Token = await factorial.exchangeCode(callback, pending);
  const expiresAt: number | null = token.expiresAt;
  const refreshed: Token = await factorial.refresh(token);
  await factorial.revoke(refreshed, { hint: "refresh_token" });
  const response: Response = await factorial.fetchApi(refreshed, "/api/v1/employees");
  const info: Introspection = await new OAuthClient({ provider: "payfit", clientId: "c" }).introspect(token);
  const companyId: string | null = info.companyId;
  void [expiresAt, response, companyId];
}

function handle(e: unknown): ErrorCode | undefined {
  if (e instanceof OAuthError) {
    switch (e.code) {
      case "state_mismatch": return e.code;
      case "token_expired": return e.code;
      default: return e.code;
    }
  }
  return undefined;
}

const env: Environment<"payout"> = "sandbox-id";
const codes: ErrorCode[] = errorCodes();
for (const listed of providers()) {
  new OAuthClient({ provider: listed.name, environment: listed.environments[0], clientId: "c" });
}
// ProviderInfo pairs each name with its own environments.
// @ts-expect-error: Factorial has no "sandbox" environment
const factorialEnvironment: Extract<ProviderInfo, { name: "factorial" }>["environments"][number] = "sandbox";
const challenge: string = pkceChallenge(newPkceVerifier());

// @ts-expect-error: not a provider
new OAuthClient({ provider: "stripe", clientId: "c" });
// @ts-expect-error: Factorial has no "sandbox" environment
new OAuthClient({ provider: "factorial", environment: "sandbox", clientId: "c" });
// @ts-expect-error: clientId is required
new OAuthClient({ provider: "billit" });
// @ts-expect-error: misspelt option
new OAuthClient({ provider: "billit", clientId: "c", redirectURI: "x" });
// @ts-expect-error: token kinds are "company" | "user"
billit.startAuthorization({ tokenKind: "admin" });
// @ts-expect-error: API paths start with "/"
void billit.fetchApi("t", "v1/orders");
// @ts-expect-error: codes are a closed list
const wrong: ErrorCode = "state_mismatched";

void [payload, flow, server, handle, env, codes, challenge, wrong];
