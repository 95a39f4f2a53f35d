import { registerDecorator, type ValidationArguments } from 'class-validator';

export const MAX_URL_LENGTH = 2048;

/**
 * Why `value` cannot be an upstream endpoint, or undefined when it can: an
 * absolute http(s) URL with a host, without userinfo (credentials belong in
 * client_id and client_secret, which are sealed at rest, not in a URL that is
 * returned and logged) and without a fragment (RFC 8707 section 2 forbids one
 * in a resource indicator; an HTTP request never sends one). The WHATWG parser
 * silently drops tabs and newlines and reads `https:host` as `https://host`, so
 * the raw text is checked as well as the parse.
 */
export function upstreamUrlProblem(value: string): string | undefined {
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (!/^https?:\/\//i.test(value)) return 'must be an absolute http or https URL';
  if (/[\s\p{Cc}\\]/u.test(value)) return 'must not contain whitespace, control characters or backslashes';
  if (value.includes('#')) return 'must not have a fragment (#...)';
  const authority = value.slice(value.indexOf('//') + 2).split(/[/?]/, 1)[0] ?? '';
  if (authority.includes('@')) return 'must not contain a user name or password';
  // `https:///path` would parse as the host `path`.
  if (authority === '' || authority.startsWith(':')) return 'must name a host';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.hostname === '') return 'must name a host';
  return undefined;
}

/** class-validator rule for upstream URLs; the message names the field and says what is wrong. */
export function IsUpstreamUrl(field: string): PropertyDecorator {
  const problemOf = (value: unknown) => (typeof value === 'string' ? upstreamUrlProblem(value) : 'must be a string');
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isUpstreamUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => problemOf(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => `${field} ${problemOf(args?.value) ?? 'must be an absolute http or https URL'}`,
      },
    });
  };
}
