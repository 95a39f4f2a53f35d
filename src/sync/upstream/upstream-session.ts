import { UpstreamRefusedError, withoutSecret } from './upstream-errors.js';
import type { UpstreamHttp } from './upstream-http.js';
import type { UpstreamTokenClient } from './upstream-token-client.js';

/**
 * Authenticated GETs to one upstream for one run: a bearer token from the
 * token client, and on a 401 one new token and one retry (the token may have
 * expired or been revoked mid-run).
 */
export class UpstreamSession {
  constructor(
    private readonly tokens: UpstreamTokenClient,
    private readonly http: UpstreamHttp,
  ) {}

  async getJson(url: string): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.accessToken();
      const { status, body } = await this.http.request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json, application/json' },
      });
      if (status === 401 && attempt === 1) {
        await this.tokens.invalidate(token);
        continue;
      }
      // The upstream's own words end up in logs and in the run's recorded reason: never with our token in them.
      if (status !== 200) {
        const scimType = (body as { scimType?: unknown } | undefined)?.scimType;
        throw new UpstreamRefusedError(
          `The upstream answered ${status}${withoutSecret(describeScimError(body), token)}`,
          status,
          typeof scimType === 'string' ? scimType : undefined,
        );
      }
      return body;
    }
  }
}

function describeScimError(body: unknown): string {
  const error = (body ?? {}) as Record<string, unknown>;
  const parts = [error.scimType, error.detail].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}
