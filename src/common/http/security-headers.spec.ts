import Fastify from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { registerSecurityHeaders, securityHeaderSets } from './security-headers.js';

describe('security headers', () => {
  it('prepares the API policy once: nothing may run, load or frame, no Referer, nosniff', () => {
    const { api } = securityHeaderSets(false);

    expect(api).toMatchObject({
      'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(api).not.toHaveProperty('strict-transport-security');
    expect(securityHeaderSets(true).api['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('gives Swagger UI its own scripts and styles over the API policy, still never framed', () => {
    const { docs } = securityHeaderSets(true);

    expect(docs['content-security-policy']).toContain("script-src 'self'");
    expect(docs['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(docs).toMatchObject({ 'referrer-policy': 'no-referrer', 'strict-transport-security': 'max-age=31536000; includeSubDomains' });
  });

  it('sets the set of the policy the path falls under on every response', async () => {
    const fastify = Fastify();
    registerSecurityHeaders({ getHttpAdapter: () => ({ getInstance: () => fastify }) } as unknown as NestFastifyApplication, {
      hsts: false,
      docsPath: 'docs',
    });
    fastify.get('/docs/x', async () => ({}));
    fastify.get('/docsy', async () => ({}));
    const { api, docs } = securityHeaderSets(false);

    const base = await fastify.listen({ host: '127.0.0.1', port: 0 });
    try {
      const answers = await Promise.all(['/docs/x?y=1', '/docsy', '/missing'].map((path) => fetch(`${base}${path}`)));
      expect(answers.map((answer) => answer.headers.get('content-security-policy'))).toEqual([
        docs['content-security-policy'],
        api['content-security-policy'],
        api['content-security-policy'],
      ]);
    } finally {
      await fastify.close();
    }
  });
});
