import { OAuthError } from '../errors/oauth-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_PARAMETERS = 32;

/**
 * Parses an application/x-www-form-urlencoded body strictly: UTF-8 only,
 * well-formed percent-encoding only (the WHATWG parser would silently keep a
 * malformed `%zz` or replace bad bytes), and a bounded number of parameters.
 * Values of repeated names are all kept so the caller can refuse repeats.
 */
/** Every parameter of a form body with all its values, in order. */
export type FormParams = Map<string, string[]>;

export function parseFormBody(body: Buffer): FormParams {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw OAuthError.invalidRequest('The request body is not valid UTF-8.');
  }
  const params = new Map<string, string[]>();
  if (text === '') return params;
  const pairs = text.split('&');
  if (pairs.length > MAX_PARAMETERS) throw OAuthError.invalidRequest('The request body has too many parameters.');
  for (const pair of pairs) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const name = decodeComponent(separator === -1 ? pair : pair.slice(0, separator));
    const value = separator === -1 ? '' : decodeComponent(pair.slice(separator + 1));
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

/** Neither `%` nor `+`: the common case (grant_type=client_credentials) has nothing to decode. */
const ENCODED = /[%+]/;

function decodeComponent(raw: string): string {
  if (!ENCODED.test(raw)) return raw;
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    throw OAuthError.invalidRequest('The request body has malformed percent-encoding.');
  }
}

/**
 * RFC 6749 section 3.1: parameters sent without a value are treated as omitted,
 * and parameters must not be included more than once.
 */
export function singleParameter(params: FormParams, name: string): string | undefined {
  const all = params.get(name);
  // Sent once (the usual case): no array to build.
  if (all?.length === 1) return all[0] === '' ? undefined : all[0];
  const values = all?.filter((value) => value !== '');
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw OAuthError.invalidRequest(`The ${name} parameter is included more than once.`);
  return values[0];
}
