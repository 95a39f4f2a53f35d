import type request from 'supertest';
import { basicAuthorization } from './factories.js';
import type { TestApp } from './test-app.js';

/** RFC 6585 section 4 and RFC 6749 section 5.2 shape: 429, Retry-After in seconds within the window, never cached. */
export function expectTooManyRequests(response: request.Response, windowSeconds: number): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body).toEqual({ error: 'too_many_requests', error_description: expect.any(String) });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

/**
 * A client_secret_basic token request as if from `address`: the test apps trust
 * X-Forwarded-For (TRUST_PROXY), which is how a deployment behind a proxy sees
 * its callers' addresses.
 */
export function tokenRequestFrom(t: TestApp, address: string, clientId: string, clientSecret: string): request.Test {
  return t
    .http()
    .post('/oauth/token')
    .set('x-forwarded-for', address)
    .set('authorization', basicAuthorization(clientId, clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials' });
}

/** Any request to the token endpoint's path counts against its address, before routing: a GET is the cheapest. */
export function addressCountedRequestFrom(t: TestApp, address: string): request.Test {
  return t.http().get('/oauth/token').set('x-forwarded-for', address);
}

/** Sends address-counted requests from `address` until the first 429 (returned), counting those admitted before it; gives up past 2 x `limit`. */
export async function admittedUntilRefused(
  t: TestApp,
  address: string,
  limit: number,
): Promise<{ admitted: number; refusal: request.Response }> {
  for (let admitted = 0; admitted <= 2 * limit; admitted++) {
    const response = await addressCountedRequestFrom(t, address);
    if (response.status === 429) return { admitted, refusal: response };
  }
  throw new Error(`no refusal after ${2 * limit} requests`);
}
