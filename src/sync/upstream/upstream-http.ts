import { UpstreamError } from './upstream-errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest Retry-After we honour before giving up on the request. */
  readonly maxRetryAfterMs: number;
}

export interface UpstreamHttpOptions {
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_UPSTREAM_HTTP: UpstreamHttpOptions = {
  timeoutMs: 15_000,
  retry: { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 120_000 },
};

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * JSON over HTTP to an upstream, with a timeout on every request and bounded
 * retries: 5xx and network errors back off exponentially with jitter; 429 and
 * 503 wait as long as Retry-After says. Anything else is final.
 */
export class UpstreamHttp {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: UpstreamHttpOptions = DEFAULT_UPSTREAM_HTTP) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async request(url: string, init: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
    const { retry } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(url, init);
      } catch (error) {
        if (!(error instanceof UpstreamError) || !error.retryable || attempt >= retry.attempts) throw error;
        const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
        const wait = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : backoff / 2 + Math.random() * (backoff / 2);
        if (wait > retry.maxRetryAfterMs) throw error;
        await this.sleep(wait);
      }
    }
  }

  private async once(url: string, init: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      // fetch rejects with a DOMException on timeout; compare names, not classes (realms differ under test runners).
      const name = (error as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new UpstreamError(
        timedOut ? `${describe(url)} did not answer within ${this.options.timeoutMs} ms` : `${describe(url)} could not be reached`,
        true,
      );
    }
    if (response.status === 429 || response.status === 503 || response.status >= 500) {
      await response.body?.cancel();
      throw new UpstreamError(
        `${describe(url)} answered ${response.status}`,
        true,
        response.status,
        retryAfter(response.headers.get('retry-after')),
      );
    }
    const text = await readText(response, url);
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new UpstreamError(`${describe(url)} answered ${response.status} with a body that is not JSON`, false, response.status);
      }
    }
    return { status: response.status, body, headers: response.headers };
  }
}

async function readText(response: Response, url: string): Promise<string> {
  try {
    const buffer = await response.arrayBuffer();
    if (buffer.byteLength > MAX_BODY_BYTES) throw new UpstreamError(`${describe(url)} answered with an oversized body`, false);
    return new TextDecoder().decode(buffer);
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError(`${describe(url)} broke off its answer`, true);
  }
}

/** RFC 9110 section 10.2.3: delay-seconds or an HTTP date. */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The URL without its query: queries may carry filters, never credentials, but logs need none of it. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the upstream';
  }
}
