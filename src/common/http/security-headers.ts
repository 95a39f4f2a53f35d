import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { type HelmetOptions } from 'helmet';

export interface SecurityHeadersOptions {
  /** Send Strict-Transport-Security: only when clients reach us over https (native TLS, or an https ISSUER behind a proxy). */
  readonly hsts: boolean;
  /** Swagger UI's path prefix, which gets a policy that lets its own scripts and styles run. */
  readonly docsPath: string;
}

/**
 * The API answers JSON only, so nothing it sends may run, load, or be framed:
 * CSP default-src 'none' and frame-ancestors 'none' (also X-Frame-Options DENY
 * for old browsers), no Referer, same-origin resource policy, nosniff.
 */
const API_POLICY = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  xFrameOptions: { action: 'deny' },
} satisfies HelmetOptions;

/**
 * Swagger UI loads its bundle, stylesheet and init script from /docs itself,
 * writes inline styles, shows data: images, and calls the API and the token
 * endpoint on the same origin ("Try it out"). Still never framed.
 */
const DOCS_POLICY = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
} satisfies HelmetOptions;

/** Header name (lower case) to value: one policy's headers, as helmet sets them. */
export type SecurityHeaderSet = Readonly<Record<string, string>>;

/**
 * Security headers (helmet) on every response, errors and 404s included.
 * Applied in onRequest, so a request refused by a later onRequest hook (the
 * OAuth rate limits) carries them too: register this first. Helmet only sets
 * headers; it leaves Cache-Control and Vary to response-headers.ts.
 *
 * A policy's headers depend on its options alone, so helmet runs once per
 * policy here, at start-up, and each request gets the prepared set: building
 * a helmet middleware per request (what reply.helmet(options) does) showed up
 * at a few per cent of the token endpoint's CPU.
 */
export function registerSecurityHeaders(app: NestFastifyApplication, options: SecurityHeadersOptions): void {
  const { api, docs } = securityHeaderSets(options.hsts);
  const docsPrefix = `/${options.docsPath}`;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.headers(isDocsPath(request.url, docsPrefix) ? docs : api);
      done();
    });
}

/** The API's headers and Swagger UI's (the API policy with the docs policy over it), HSTS in both or neither. */
export function securityHeaderSets(hsts: boolean): { api: SecurityHeaderSet; docs: SecurityHeaderSet } {
  const api: HelmetOptions = {
    ...API_POLICY,
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
  return { api: headersOf(api), docs: headersOf({ ...api, ...DOCS_POLICY }) };
}

function isDocsPath(url: string, docsPrefix: string): boolean {
  if (!url.startsWith(docsPrefix)) return false;
  const path = url.split('?', 1)[0] ?? '';
  return path === docsPrefix || path.startsWith(`${docsPrefix}/`);
}

/** Runs helmet's middleware once against a response that only records what it sets. */
function headersOf(policy: HelmetOptions): SecurityHeaderSet {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    // helmet removes X-Powered-By, which Fastify never sets.
    removeHeader: () => undefined,
  };
  helmet(policy)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
  });
  return Object.freeze(headers);
}
