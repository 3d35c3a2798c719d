// How each provider behaves, as the repository's PROVIDERS.md records it
// (each fact with its source). The shared mechanics (codes, tokens, consent) are in
// server.mjs; everything provider-specific is here. Where no source documents
// a detail (mostly error bodies), the choice is marked "ours".

// `encodings`: the token-endpoint bodies accepted ("form", "json", "query").
// `refreshLifetime`: seconds a refresh token lasts from its issue, where a
// source says (none: it does not expire). `rateLimits`: API budgets per
// client, [{ per: seconds, max, applies(method, path) }], answered by
// `rateLimited({ max, remaining, retryAfter })` → [status, body, headers].
// `actions`: one-shot switches (POST /_sandbox/switch) a provider offers.
// `params`: where a guide lists every parameter of a request (by request:
// "authorize" or a grant type), the only ones accepted. `scopes`: the
// guide's scope list, when it gives one (a request then needs a scope).
export const providers = {
  // PROVIDERS.md § PayFit
  payfit: {
    paths: { authorize: "/authorize", token: "/token", introspect: "/introspect" },
    apiBase: "/api", // ours: the real API is on partner-api.payfit.com
    encodings: ["form"], // ours: the guide leaves it open; form is the RFC default
    grants: ["authorization_code"],
    pkce: "none",
    scopeSeparator: ",",
    // The guide's "Scopes list" and the public docs' (developers.payfit.io,
    // "Scopes for partners"); `scope` is not marked optional, as `state` is.
    scopes: ["contracts:read", "contracts:payslips:read", "collaborators:securite-sociale:read", "collaborators:read",
      "collaborators:contracts:read", "collaborators:management:read", "collaborators:meal-vouchers:read",
      "collaborators:personal:read", "collaborators:social-security:read", "collaborators:legal-identity:read",
      "collaborators:bank-info:read", "accounting:read", "time:read"],
    // The guide joins them with commas, the public docs with spaces: either.
    scopeSplit: /[ ,]/,
    codeParam: "code",
    // "token_type": "bearer", no expires_in, no refresh token.
    tokenResponse: ({ accessToken }) => ({ access_token: accessToken, token_type: "bearer" }),
    accessLifetime: null,
    issuesRefresh: () => false,
    // One token per company: introspection names it. "Generating a new token
    // will invalidate all other tokens for the same company."
    companyTokens: true,
    oneTokenPerCompany: true,
    // Per application (client id), not per token: 50 reads/s and 20 writes/s,
    // then a 429 naming the limit (developers.payfit.io/docs/rate-limits).
    // On by default: no test comes near it by accident; freeze the sandbox's
    // clock (POST /_sandbox/clock {"freeze": true}) to reach it on purpose.
    rateLimits: [
      { per: 1, max: 50, applies: (method) => method === "GET" || method === "HEAD" },
      { per: 1, max: 20, applies: (method) => method !== "GET" && method !== "HEAD" },
    ],
    rateLimited: ({ max, remaining }) => [429, { message: "API rate limit exceeded" },
      { "X-RateLimit-Limit-Second": String(max), "X-RateLimit-Remaining-Second": String(remaining) }],
    // A company uninstalling the app revokes its token: the API answers 401
    // for good (public docs). POST /_sandbox/switch {"clientId", "uninstall":
    // company_id, or true for every company of that client}.
    actions: {
      uninstall: (company, { revokeWhere }) => revokeWhere((token) => company === true || token.companyId === company),
    },
    // GET /companies/{company_id}
    api: (token, path) => {
      const match = path.match(/^\/companies\/([^/]+)$/);
      if (!match) return [404, { error: "not_found" }];
      if (match[1] !== token.companyId) return [403, { error: "forbidden" }];
      return [200, { id: token.companyId, name: "Sandbox SAS" }];
    },
  },

  // PROVIDERS.md § Payout
  payout: {
    paths: { authorize: "/oauth", token: "/oauth/token" },
    apiBase: null,
    encodings: ["json"],
    grants: ["authorization_code", "refresh_token", "client_credentials"],
    pkce: "optional",
    scopeSeparator: " ",
    // "User is redirected back to integrator with `authorization_code`".
    codeParam: "authorization_code",
    tokenResponse: ({ accessToken, refreshToken, lifetime }) => ({
      access_token: accessToken, token_type: "Bearer", expires_in: lifetime,
      ...(refreshToken && { refresh_token: refreshToken }),
    }),
    accessLifetime: 3600, // "should not be longer than one hour"
    refreshLifetime: 90 * 86400, // "refresh token up to 90 days"
    issuesRefresh: (grant) => grant !== "client_credentials",
    // No revocation endpoint is documented (only a sign-out of sessions): none here.
  },

  // PROVIDERS.md § Factorial
  factorial: {
    paths: { authorize: "/oauth/authorize", token: "/oauth/token", revoke: "/oauth/revoke" },
    apiBase: "",
    // The guide's query string, and the docs' form body.
    encodings: ["form", "query"],
    grants: ["authorization_code", "refresh_token"],
    pkce: "none",
    scopeSeparator: " ",
    codeParam: "code",
    // resource_owner_type=company: a company token that does not expire.
    tokenKind: (params) => (params.resource_owner_type === "company" ? "company" : "user"),
    tokenResponse: ({ accessToken, refreshToken, lifetime, now }) => ({
      access_token: accessToken, token_type: "Bearer",
      ...(lifetime && { expires_in: lifetime }),
      ...(refreshToken && { refresh_token: refreshToken }),
      scope: "read write", created_at: now,
    }),
    accessLifetime: 7200, // the docs' sample
    lifetimeFor: (kind) => (kind === "company" ? null : 7200),
    refreshLifetime: 7 * 86400, // public docs: a refresh token lasts one week
    issuesRefresh: (grant, kind) => kind !== "company",
    // Public docs: "using a new token revokes the previous one" (rotation).
    revokesOlderOnUse: true,
    // POSTs: 100/min on /api/v1, 200/min on /api/v2 (public docs, FAQ). Per
    // client, and the 429's body and Retry-After, are ours: no source says.
    rateLimits: [
      { per: 60, max: 100, applies: (method, path) => method === "POST" && path.startsWith("/api/v1/") },
      { per: 60, max: 200, applies: (method, path) => method === "POST" && path.startsWith("/api/v2/") },
    ],
    rateLimited: ({ retryAfter }) => [429, { error: "too_many_requests" }, { "Retry-After": String(retryAfter) }],
    // The API is date-versioned in the path (/api/2026-01-01/…) beside the
    // older /api/v1 and /api/v2 (public docs); the resource paths are ours.
    api: (token, path, method) => {
      const version = path.match(/^\/api\/(v1|v2|\d{4}-\d{2}-\d{2})\/(.+)$/);
      if (!version) return [404, { error: "not_found" }];
      const [, at, resource] = version;
      const employees = /^\d/.test(at) ? "resources/employees/employees" : "employees";
      if (resource !== employees) return [404, { error: "not_found" }];
      return method === "POST" ? [201, { id: 2 }] : [200, [{ id: 1, full_name: "Ada Lovelace" }]];
    },
  },

  // PROVIDERS.md § TropiPay
  tropipay: {
    paths: { authorize: "/api/v2/access/authorize", token: "/api/v2/access/token" },
    apiBase: "",
    encodings: ["json"],
    grants: ["authorization_code", "refresh_token", "client_credentials"],
    pkce: "required",
    scopeSeparator: " ",
    codeParam: "code",
    jwtAccessTokens: true,
    // The docs' example puts an epoch time in expires_in.
    tokenResponse: ({ accessToken, refreshToken, lifetime, now }) => ({
      access_token: accessToken, token_type: "Bearer", expires_in: now + lifetime,
      ...(refreshToken && { refresh_token: refreshToken }),
    }),
    accessLifetime: 3600,
    issuesRefresh: (grant) => grant !== "client_credentials",
    api: (token, path) => path === "/api/v2/users/profile" ? [200, { id: token.subject, email: "sandbox@tropipay.test" }] : [404, { error: "not_found" }],
  },

  // PROVIDERS.md § Billit
  billit: {
    paths: { authorize: "/Account/Logon", token: "/OAuth2/token" },
    apiBase: "",
    encodings: ["json"], // "make sure to set body type to Application/json"
    grants: ["authorization_code", "refresh_token"],
    pkce: "none",
    noResponseType: true,
    // The guide's authorize URL and its two tables of "Required POST parameters".
    params: {
      authorize: ["client_id", "redirect_uri", "state"],
      authorization_code: ["client_id", "client_secret", "code", "grant_type", "redirect_uri"],
      refresh_token: ["client_id", "client_secret", "grant_type", "refresh_token"],
    },
    // "parameters following the "&" will not be returned in the state".
    stateCutAt: "&",
    // A denial carries only error=access_denied: the guide names no state there.
    denialKeepsState: false,
    // Own query parameters are not allowed in redirect_uri.
    redirectQueryAllowed: false,
    scopeSeparator: " ",
    codeParam: "code",
    tokenResponse: ({ accessToken, refreshToken, lifetime }) => ({
      token_type: "Bearer", expires_in: lifetime, access_token: accessToken, refresh_token: refreshToken,
    }),
    accessLifetime: 3600,
    // Public docs: a refresh token does not expire and can be used only once
    // (every refresh rotates it; the server's reuse check ends the grant).
    refreshLifetime: null,
    issuesRefresh: () => true,
    // "Error states" from API calls; capital `Code`.
    apiError: (reason) => [401, {
      errors: [{ Code: { expired: "AccessTokenExpired", revoked: "AccessTokenRevoked" }[reason] ?? "InvalidAccessToken" }],
    }],
    api: (token, path) => path === "/v1/orders" ? [200, { Items: [{ OrderID: 1, OrderNumber: "SB-0001" }] }] : [404, { errors: [{ Code: "NotFound" }] }],
    // ours: the guide documents no token-endpoint errors; RFC 6749 §5.2.
  },

  // A plain RFC 6749 server for the custom preset: HTTP Basic (RFC 6749
  // §2.3.1), public clients with PKCE, RFC 7662 introspection, RFC 7009
  // revocation, and `iss` on the callback (RFC 9207).
  custom: {
    paths: { authorize: "/authorize", token: "/token", introspect: "/introspect", revoke: "/revoke" },
    apiBase: "/api",
    encodings: ["form"],
    grants: ["authorization_code", "refresh_token", "client_credentials"],
    pkce: "optional",
    basicAuth: true,
    publicClients: true,
    introspection: "rfc7662",
    issuer: true,
    scopeSeparator: " ",
    codeParam: "code",
    tokenResponse: ({ accessToken, refreshToken, lifetime, scope }) => ({
      access_token: accessToken, token_type: "Bearer", expires_in: lifetime,
      ...(refreshToken && { refresh_token: refreshToken }), ...(scope && { scope }),
    }),
    accessLifetime: 600,
    issuesRefresh: (grant) => grant !== "client_credentials",
    api: (token, path) => path === "/me" ? [200, { sub: token.subject }] : [404, { error: "not_found" }],
  },
};
