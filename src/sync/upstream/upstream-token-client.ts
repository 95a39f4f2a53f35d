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

/** A token and its lifetime, in epoch milliseconds: when it was fetched, when the upstream said it expires. */
export interface SharedToken {
  readonly value: string;
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

/** Where a token client shares its token with the same connection's clients on other replicas. */
export interface SharedTokenCache {
  load(): Promise<SharedToken | undefined>;
  save(token: SharedToken): Promise<void>;
  /** Forgets `refused`, if it is still the shared token. */
  drop(refused: string): Promise<void>;
}

/** Until when a token is used: EXPIRY_MARGIN_MS before it expires, or half-way through a lifetime shorter than twice that. */
export function usableUntil(token: SharedToken): number {
  return token.expiresAt - Math.min(EXPIRY_MARGIN_MS, (token.expiresAt - token.fetchedAt) / 2);
}

/**
 * The worker as an OAuth 2.0 client of the upstream's authorization server
 * (RFC 6749 section 4.4). The token is cached until shortly before it expires;
 * concurrent callers share one refresh; `invalidate` drops it after a 401.
 * With a shared cache, a token another replica fetched is used before a new
 * one is asked for, and a new one is shared.
 */
export class UpstreamTokenClient {
  private token: SharedToken | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(
    private readonly credentials: UpstreamCredentials,
    private readonly http: UpstreamHttp,
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedTokenCache,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token && this.now() < usableUntil(this.token)) return this.token.value;
    this.refreshing ??= this.obtain().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The upstream refused our token: the next call fetches a new one (or takes one another replica fetched since). */
  async invalidate(rejected: string): Promise<void> {
    if (this.token?.value === rejected) this.token = undefined;
    await this.shared?.drop(rejected);
  }

  private async obtain(): Promise<string> {
    const stored = await this.shared?.load();
    if (stored && this.now() < usableUntil(stored)) {
      this.token = stored;
      return stored.value;
    }
    const fetched = await this.fetchToken();
    this.token = fetched;
    await this.shared?.save(fetched);
    return fetched.value;
  }

  private async fetchToken(): Promise<SharedToken> {
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
    const fetchedAt = this.now();
    return { value: fields.access_token, fetchedAt, expiresAt: fetchedAt + expiresIn * 1000 };
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
