import { DomainError } from '../common/errors/domain-error.js';
import { checkKeySettings, type KeySettings } from './client-keys-policy.js';

const JWKS = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] };
const NONE: KeySettings = { jwks: null, jwksUri: null };
const WITH_JWKS: KeySettings = { jwks: JSON.stringify(JWKS), jwksUri: null };
const WITH_URI: KeySettings = { jwks: null, jwksUri: 'https://partner.example/jwks' };

function fieldErrors(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.fieldErrors;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('checkKeySettings', () => {
  it('stores a JWK Set as JSON text', () => {
    expect(checkKeySettings('private_key_jwt', NONE, { jwks: JWKS }, 'production')).toEqual(WITH_JWKS);
  });

  it('keeps the stored keys when the change names none', () => {
    expect(checkKeySettings('private_key_jwt', WITH_URI, {}, 'production')).toEqual(WITH_URI);
  });

  it('replaces one kind of key with the other', () => {
    expect(checkKeySettings('private_key_jwt', WITH_JWKS, { jwksUri: WITH_URI.jwksUri }, 'production')).toEqual(WITH_URI);
    expect(checkKeySettings('private_key_jwt', WITH_URI, { jwks: JWKS }, 'production')).toEqual(WITH_JWKS);
  });

  it('removes keys on null, unless the client needs them', () => {
    expect(checkKeySettings('client_secret_basic', WITH_JWKS, { jwks: null }, 'production')).toEqual(NONE);
    expect(fieldErrors(() => checkKeySettings('private_key_jwt', WITH_JWKS, { jwks: null }, 'production'))).toEqual([
      { field: 'jwks', message: expect.stringMatching(/jwks or jwks_uri/) },
    ]);
  });

  it('refuses jwks and jwks_uri together', () => {
    expect(fieldErrors(() => checkKeySettings('private_key_jwt', NONE, { jwks: JWKS, jwksUri: WITH_URI.jwksUri }, 'test'))).toEqual([
      { field: 'jwks_uri', message: expect.stringMatching(/both/) },
    ]);
  });

  it('refuses a private_key_jwt client without keys', () => {
    expect(fieldErrors(() => checkKeySettings('private_key_jwt', NONE, {}, 'test'))).toEqual([
      { field: 'jwks', message: expect.stringMatching(/jwks or jwks_uri/) },
    ]);
  });

  it('refuses loopback http in production only', () => {
    expect(checkKeySettings('private_key_jwt', NONE, { jwksUri: 'http://127.0.0.1:1/jwks' }, 'test').jwksUri).toBe(
      'http://127.0.0.1:1/jwks',
    );
    expect(fieldErrors(() => checkKeySettings('private_key_jwt', NONE, { jwksUri: 'http://127.0.0.1:1/jwks' }, 'production'))).toEqual([
      { field: 'jwks_uri', message: expect.stringMatching(/https/) },
    ]);
  });
});
