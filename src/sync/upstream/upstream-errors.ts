/**
 * Why a request to an upstream failed. `retryable` failures (5xx, 429, network,
 * timeouts) are retried a bounded number of times; the others end the run.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Seconds the upstream asked us to wait (Retry-After on 429 and 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * The upstream answered an API request with an error status. `scimType` is the
 * RFC 7644 section 3.12 detail error keyword, when the body had one (a
 * connector tells an expired cursor, RFC 9865 section 2, from other refusals by it).
 */
export class UpstreamRefusedError extends UpstreamError {
  constructor(
    message: string,
    status: number,
    readonly scimType: string | undefined,
  ) {
    super(message, false, status);
  }
}

/** The upstream's authorization server refused the worker's credentials or scope: stated plainly, never retried. */
export class UpstreamAuthError extends UpstreamError {
  constructor(
    readonly oauthError: string,
    description: string | undefined,
  ) {
    super(`The upstream token endpoint refused the request: ${oauthError}${description ? ` (${description})` : ''}.`, false, 400);
  }
}

/** An upstream's text with a credential of ours removed, should the upstream echo it back. */
export function withoutSecret(text: string, secret: string): string {
  return secret === '' ? text : text.replaceAll(secret, '[redacted]');
}
