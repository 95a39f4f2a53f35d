import { jest } from '@jest/globals';
import { errors, type FlattenedJWSInput } from 'jose';
import { clientAuthRecord } from '../../../test/support/client-auth-record.js';
import { clientKey, type ClientKey, jwksOf, type JwksServer, startJwksServer } from '../../../test/support/client-keys.js';
import { AppConfig } from '../../config/app-config.js';
import { ClientJwks, JWKS_CACHE_MAX_AGE_MS, JWKS_COOLDOWN_MS } from './client-jwks.js';

const TOKEN: FlattenedJWSInput = { payload: '', signature: '' };
const config = AppConfig.fromEnvironment({ NODE_ENV: 'test', CLIENT_JWKS_TIMEOUT_MS: '1000' }, '/tmp');

/** jose's remote key set times its cooldown and cache with Date.now(): only Date is faked, the network runs for real. */
function fakeDateOnly(): void {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
}

describe('ClientJwks', () => {
  let server: JwksServer;
  let first: ClientKey;
  let second: ClientKey;

  beforeAll(async () => {
    [first, second] = await Promise.all([clientKey('ES256'), clientKey('ES256')]);
    server = await startJwksServer(jwksOf(first));
  });
  afterAll(() => server.close());
  afterEach(() => jest.useRealTimers());

  const header = (key: ClientKey) => ({ alg: key.alg, kid: key.kid });

  it('has no keys for a client that registered none', () => {
    expect(new ClientJwks(config).keysOf(clientAuthRecord())).toBeUndefined();
  });

  it('uses registered jwks, and new ones as soon as the registration changes', async () => {
    const jwks = new ClientJwks(config);
    const before = jwks.keysOf(clientAuthRecord({ jwks: JSON.stringify(jwksOf(first)) }))!;
    await expect(before(header(first), TOKEN)).resolves.toBeDefined();
    const after = jwks.keysOf(clientAuthRecord({ jwks: JSON.stringify(jwksOf(second)) }))!;
    await expect(after(header(first), TOKEN)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    await expect(after(header(second), TOKEN)).resolves.toBeDefined();
  });

  it('fetches a jwks_uri once, refetches an unknown kid only after the cooldown, and again when stale', async () => {
    fakeDateOnly();
    server.serve(jwksOf(first));
    server.fetches = 0;
    const jwks = new ClientJwks(config);
    const client = clientAuthRecord({ jwksUri: server.url });
    const keys = jwks.keysOf(client)!;
    await keys(header(first), TOKEN);
    await jwks.keysOf(client)!(header(first), TOKEN);
    expect(server.fetches).toBe(1);

    server.serve(jwksOf(first, second));
    await expect(keys(header(second), TOKEN)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(server.fetches).toBe(1);

    jest.setSystemTime(Date.now() + JWKS_COOLDOWN_MS + 1);
    await expect(keys(header(second), TOKEN)).resolves.toBeDefined();
    expect(server.fetches).toBe(2);

    jest.setSystemTime(Date.now() + JWKS_CACHE_MAX_AGE_MS + 1);
    await keys(header(first), TOKEN);
    expect(server.fetches).toBe(3);
  });

  it('starts a new key set when the jwks_uri changes', async () => {
    server.serve(jwksOf(first));
    server.fetches = 0;
    const jwks = new ClientJwks(config);
    await jwks.keysOf(clientAuthRecord({ jwksUri: server.url }))!(header(first), TOKEN);
    await jwks.keysOf(clientAuthRecord({ jwksUri: `${server.url}?v=2` }))!(header(first), TOKEN);
    expect(server.fetches).toBe(2);
  });

  it('gives up on a jwks_uri that does not answer within CLIENT_JWKS_TIMEOUT_MS', async () => {
    server.serve('hang');
    const quick = AppConfig.fromEnvironment({ NODE_ENV: 'test', CLIENT_JWKS_TIMEOUT_MS: '100' }, '/tmp');
    const keys = new ClientJwks(quick).keysOf(clientAuthRecord({ jwksUri: `${server.url}?hang` }))!;
    await expect(keys(header(first), TOKEN)).rejects.toBeInstanceOf(errors.JWKSTimeout);
  });
});
