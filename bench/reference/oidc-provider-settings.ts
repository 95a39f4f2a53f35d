/** What the node-oidc-provider reference issues, shared by the server and the harness that checks its tokens. */
export const OIDC_REFERENCE_SCOPE = 'api:read';
export const OIDC_REFERENCE_AUDIENCE = 'https://api.bench.example';
