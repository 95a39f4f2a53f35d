import type { Response } from 'supertest';
import { expectNoInternals } from '../../support/factories.js';

/**
 * RFC 6749 section 5.2: JSON {error, error_description} and nothing else,
 * never cached (section 5.1 applies no-store to errors too).
 */
export function expectOAuthError(response: Response, status: number, error: string): void {
  expect({ status: response.status, error: (response.body as { error?: string }).error }).toEqual({ status, error });
  expect(response.headers['content-type']).toMatch(/^application\/json\b/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['pragma']).toBe('no-cache');
  expect(response.body).toEqual({ error, error_description: expect.any(String) });
  // Section 5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, whatever the request carried.
  expect(response.body.error_description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
  // The description may quote a parameter back (a refused scope, say), so SQL keywords are no sign of a leak here.
  expect(response.text).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(|node_modules|\.[jt]s:\d+|"stack"|QueryFailedError|SQLITE_/);
}

/** RFC 6749 section 5.2: invalid_client is a 401 with a challenge (RFC 7235 section 3.1). */
export function expectInvalidClient(response: Response): void {
  expectOAuthError(response, 401, 'invalid_client');
  expect(response.headers['www-authenticate']).toBe('Basic realm="orgsync"');
}

const REALM = 'Bearer realm="orgsync"';

/**
 * RFC 6750 section 3.1: the error code in the WWW-Authenticate challenge, and
 * the API's RFC 9457 problem document in the body, its type naming the same code.
 */
export function expectBearerError(response: Response, status: 401 | 403 | 400, error: string): void {
  expect({ status: response.status, type: (response.body as { type?: string }).type }).toEqual({
    status,
    type: `urn:orgsync:problem:${error}`,
  });
  const challenge = response.headers['www-authenticate'] as string;
  expect(challenge.startsWith(`${REALM}, error="${error}"`)).toBe(true);
  // One challenge, well-formed auth-params only (RFC 7235 section 4.1): nothing a client could mis-parse.
  expect(challenge).toMatch(/^Bearer realm="orgsync"(, [a-z_]+="[^"\\\r\n]*")+$/);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json\b/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    request_id: response.headers['x-request-id'],
  });
  expectNoInternals(response);
}

export const expectInvalidToken = (response: Response): void => expectBearerError(response, 401, 'invalid_token');

export function expectInsufficientScope(response: Response, scope: string): void {
  expectBearerError(response, 403, 'insufficient_scope');
  expect(response.headers['www-authenticate']).toBe(`${REALM}, error="insufficient_scope", scope="${scope}"`);
}
