import { UpstreamAuthError, UpstreamError, withoutSecret } from './upstream-errors.js';
import type { UpstreamHttp } from './upstream-http.js';

/** What the worker needs to obtain an upstream access token (RFC 6749 section 4.4), the secret in clear. */
export interface UpstreamCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  readonly scope: string | null;
  readonly resource: string | null;
}

/** Refresh this long before expires_in runs out, so no request leaves with a token about to die. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The worker as an OAuth 2.0 client of the upstream's authorization server
 * (RFC 6749 section 4.4). The token is cached until shortly before it expires;
 * concurrent callers share one refresh; `invalidate` drops it after a 401.
 */
export class UpstreamTokenClient {
  private token: { value: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(
    private readonly credentials: UpstreamCredentials,
    private readonly http: UpstreamHttp,
    private readonly now: () => number = Date.now,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt) return this.token.value;
    this.refreshing ??= this.fetchToken().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The upstream refused our token: the next call fetches a new one. */
  invalidate(rejected: string): void {
    if (this.token?.value === rejected) this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, tokenEndpointAuthMethod, scope, resource } = this.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    if (resource) form.set('resource', resource);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (tokenEndpointAuthMethod === 'client_secret_basic') {
      // RFC 6749 section 2.3.1 and Appendix B: form-encode each part before Basic.
      headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const { status, body } = await this.http.request(tokenUrl, { method: 'POST', headers, body: form.toString() });
    const fields = (body ?? {}) as Record<string, unknown>;
    if (status !== 200) {
      if (typeof fields.error === 'string') {
        // The upstream's description reaches logs and the run's recorded reason: never with our secret echoed in it.
        const description =
          typeof fields.error_description === 'string' ? withoutSecret(fields.error_description, clientSecret) : undefined;
        throw new UpstreamAuthError(withoutSecret(fields.error, clientSecret), description);
      }
      throw new UpstreamError(`The upstream token endpoint answered ${status}`, false, status);
    }
    if (typeof fields.access_token !== 'string' || fields.access_token === '') {
      throw new UpstreamError('The upstream token endpoint answered without an access_token', false, status);
    }
    const expiresIn = typeof fields.expires_in === 'number' && fields.expires_in > 0 ? fields.expires_in : 300;
    this.token = {
      value: fields.access_token,
      expiresAt: this.now() + Math.max(expiresIn * 1000 - EXPIRY_MARGIN_MS, (expiresIn * 1000) / 2),
    };
    return fields.access_token;
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
