import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * The rules for a client's public keys (RFC 7591 section 2, `jwks` and
 * `jwks_uri`), used by the private_key_jwt client authentication of RFC 7523.
 */

export const MAX_JWKS_KEYS = 20;
/** Twenty 4096-bit RSA keys fit with room to spare. */
export const MAX_JWKS_BYTES = 64 * 1024;
export const MAX_JWKS_URI_LENGTH = 2048;

const PUBLIC_KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);
/** RFC 7518 section 6: the members that hold private key material (`k` is a symmetric key's). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What is wrong with a `jwks` value, or undefined when it is a JWK Set of 1 to 20 public asymmetric keys. */
export function jwksProblem(value: unknown): string | undefined {
  if (!isObject(value) || !Array.isArray(value.keys)) return 'jwks must be a JWK Set: an object with a "keys" array (RFC 7517 section 5)';
  if (JSON.stringify(value).length > MAX_JWKS_BYTES) return `jwks must be at most ${MAX_JWKS_BYTES} bytes`;
  const keys: unknown[] = value.keys;
  if (keys.length < 1 || keys.length > MAX_JWKS_KEYS) return `jwks must hold 1 to ${MAX_JWKS_KEYS} keys`;
  for (const [index, key] of keys.entries()) {
    const problem = keyProblem(key);
    if (problem) return `jwks.keys[${index}] ${problem}`;
  }
  return undefined;
}

function keyProblem(key: unknown): string | undefined {
  if (!isObject(key)) return 'must be a JWK object';
  if (typeof key.kty !== 'string' || !PUBLIC_KEY_TYPES.has(key.kty)) {
    return 'must be a public key of kty RSA, EC or OKP (symmetric oct keys are not accepted)';
  }
  if (PRIVATE_MEMBERS.some((member) => member in key)) return 'holds private key material; register the public key only';
  if (key.use !== undefined && key.use !== 'sig') return 'must have use "sig" if it has a use';
  return undefined;
}

/** What is wrong with the form of a `jwks_uri`: an absolute http(s) URL without credentials or fragment. */
export function jwksUriShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_JWKS_URI_LENGTH)
    return `jwks_uri must be a URL of at most ${MAX_JWKS_URI_LENGTH} characters`;
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return 'jwks_uri must be an absolute https:// URL';
  if (url.username !== '' || url.password !== '' || url.hash !== '') return 'jwks_uri must not contain credentials or a fragment';
  return undefined;
}

/**
 * The keys are fetched over the network, so TLS protects them: https only,
 * except loopback http while developing or testing.
 */
export function jwksUriTransportProblem(uri: string, environment: 'development' | 'production' | 'test'): string | undefined {
  const url = new URL(uri);
  if (url.protocol === 'https:') return undefined;
  if (environment !== 'production' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'jwks_uri must be an https:// URL (http:// is accepted for localhost only, when NODE_ENV is development or test)';
}

export function IsClientJwks(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isClientJwks',
      validator: { validate: (value) => jwksProblem(value) === undefined, defaultMessage: (args) => jwksProblem(args?.value) ?? '' },
    },
    options,
  );
}

export function IsJwksUri(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isJwksUri',
      validator: {
        validate: (value) => jwksUriShapeProblem(value) === undefined,
        defaultMessage: (args) => jwksUriShapeProblem(args?.value) ?? '',
      },
    },
    options,
  );
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JWK Set as registered; its members are checked by jwksProblem. */
export interface ClientJwksInput {
  keys: Record<string, unknown>[];
}
