// How each provider behaves, as the repository's PROVIDERS.md records it
// (each fact with its source). The shared mechanics (codes, tokens, consent) are in
// server.mjs; everything provider-specific is here. Where no source documents
// a detail (mostly error bodies), the choice is marked "ours".

// `encodings`: the token-endpoint bodies accepted ("form", "json", "query").
export const providers = {
  // PROVIDERS.md § PayFit
  payfit: {
    paths: { authorize: "/authorize", token: "/token", introspect: "/introspect" },
    apiBase: "/api", // ours: the real API is on partner-api.payfit.com
    encodings: ["form"], // ours: the guide leaves it open; form is the RFC default
    grants: ["authorization_code"],
    pkce: "none",
    scopeSeparator: ",",
    codeParam: "code",
    // "token_type": "bearer", no expires_in, no refresh token.
    tokenResponse: ({ accessToken }) => ({ access_token: accessToken, token_type: "bearer" }),
    accessLifetime: null,
    issuesRefresh: () => false,
    // One token per company: introspection names it.
    companyTokens: true,
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
    issuesRefresh: (grant) => grant !== "client_credentials",
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
    issuesRefresh: (grant, kind) => kind !== "company",
    api: (token, path) => path === "/api/v1/employees" ? [200, [{ id: 1, full_name: "Ada Lovelace" }]] : [404, { error: "not_found" }],
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
    // A denial carries only error=access_denied (the guide names no state).
    denialKeepsState: false,
    // Own query parameters are not allowed in redirect_uri.
    redirectQueryAllowed: false,
    scopeSeparator: " ",
    codeParam: "code",
    tokenResponse: ({ accessToken, refreshToken, lifetime }) => ({
      token_type: "Bearer", expires_in: lifetime, access_token: accessToken, refresh_token: refreshToken,
    }),
    accessLifetime: 3600,
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
