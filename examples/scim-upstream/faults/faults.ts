import type { TokenStore } from '../oauth/token-store.js';

/** Which endpoint a fault applies to; "token" is the token endpoint, the others are SCIM endpoints. */
export type FaultEndpoint = 'Users' | 'Groups' | 'ServiceProviderConfig' | 'token';

export type FaultAction =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'malformedJson' }
  | { readonly kind: 'dropConnection' }
  | { readonly kind: 'invalidClient' };

export interface FaultOptions {
  /** How many matching requests get the fault (default 1), or "always". */
  readonly times?: number | 'always';
  /**
   * The endpoint to match. Without one, any SCIM request matches (never the
   * token endpoint, so a client can still get a token to be failed with).
   */
  readonly endpoint?: FaultEndpoint;
  /** Only listing requests for this 1-based page: by startIndex and count, or the cursor's page. */
  readonly page?: number;
}

/** A request as fault matching sees it. */
export interface FaultRequest {
  readonly endpoint: FaultEndpoint | undefined;
  /** Set for listings (GET /Users, GET /Groups) only. */
  readonly page: number | undefined;
}

interface FaultRule {
  readonly action: FaultAction;
  readonly endpoint: FaultEndpoint | undefined;
  readonly page: number | undefined;
  remaining: number;
}

/**
 * Failures on demand. Each call arms a rule for the next matching requests;
 * the first armed rule that matches a request answers it, and is used up
 * after `times` requests. `clear()` disarms everything.
 */
export class Faults {
  private readonly rules: FaultRule[] = [];

  constructor(private readonly tokens: TokenStore) {}

  /** Answer with a 5xx (500 unless `status` says otherwise) and a SCIM error body. */
  serverError(options: FaultOptions & { readonly status?: number } = {}): void {
    this.arm({ kind: 'status', status: options.status ?? 500 }, options);
  }

  /** Answer 503 (or 429) with `Retry-After: <retryAfterSeconds>` (default 1). */
  throttle(options: FaultOptions & { readonly status?: 503 | 429; readonly retryAfterSeconds?: number } = {}): void {
    this.arm({ kind: 'status', status: options.status ?? 503, retryAfterSeconds: options.retryAfterSeconds ?? 1 }, options);
  }

  /** Never answer (until the client gives up or the upstream closes), for client timeouts. */
  hang(options: FaultOptions = {}): void {
    this.arm({ kind: 'hang' }, options);
  }

  /** Answer 200 with a body that is not valid JSON. */
  malformedJson(options: FaultOptions = {}): void {
    this.arm({ kind: 'malformedJson' }, options);
  }

  /** Send the status line, headers and part of the body, then close the connection. */
  dropConnection(options: FaultOptions = {}): void {
    this.arm({ kind: 'dropConnection' }, options);
  }

  /** Fail one page of a listing (of /Users unless `endpoint` says otherwise) with a 500, once or "always". */
  failPage(page: number, options: Omit<FaultOptions, 'page'> & { readonly status?: number } = {}): void {
    this.serverError({ endpoint: 'Users', ...options, page });
  }

  /** The token endpoint answers 401 invalid_client, whatever the credentials. */
  rejectTokenRequests(options: Pick<FaultOptions, 'times'> = {}): void {
    this.arm({ kind: 'invalidClient' }, { ...options, endpoint: 'token' });
  }

  /** Expire every token issued so far, at once: the next API call with one gets 401 invalid_token. */
  revokeAllTokens(): void {
    this.tokens.revokeAll();
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** How many armed rules still have requests to fail. */
  get pending(): number {
    return this.rules.length;
  }

  /** Finds the fault for a request, if any, and uses up one of its times. */
  take(request: FaultRequest): FaultAction | undefined {
    const index = this.rules.findIndex((rule) => matches(rule, request));
    const rule = this.rules[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule.action;
  }

  private arm(action: FaultAction, options: FaultOptions): void {
    const times = options.times ?? 1;
    const remaining = times === 'always' ? Number.POSITIVE_INFINITY : times;
    if (!(remaining >= 1)) throw new Error(`A fault needs times >= 1 or "always", not ${String(times)}.`);
    this.rules.push({ action, endpoint: options.endpoint, page: options.page, remaining });
  }
}

function matches(rule: FaultRule, request: FaultRequest): boolean {
  if (rule.endpoint === undefined ? request.endpoint === 'token' : rule.endpoint !== request.endpoint) return false;
  return rule.page === undefined || rule.page === request.page;
}
