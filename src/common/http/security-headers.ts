import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

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
} satisfies FastifyHelmetOptions;

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
} satisfies FastifyHelmetOptions;

/**
 * Security headers (@fastify/helmet) on every response, errors and 404s
 * included. Applied in onRequest, so a request refused by a later onRequest
 * hook (the OAuth rate limits) carries them too: register this first. Helmet
 * only sets headers; it leaves Cache-Control and Vary to response-headers.ts.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication, options: SecurityHeadersOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    ...API_POLICY,
    strictTransportSecurity: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Applied by the hook below, which picks the policy by path: plugin routes (Swagger UI) take no route options.
    global: false,
  });
  const docsPrefix = `/${options.docsPath}`;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?', 1)[0] ?? '';
      const isDocs = path === docsPrefix || path.startsWith(`${docsPrefix}/`);
      reply.helmet(isDocs ? DOCS_POLICY : undefined);
    });
}
