/** What a demo step got back. */
export interface HttpResult<T> {
  readonly status: number;
  readonly body: T;
}

export interface CallOptions {
  readonly bearer?: string;
  readonly basic?: { readonly clientId: string; readonly clientSecret: string };
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  /** Statuses that count as success; default any 2xx. */
  readonly expect?: readonly number[];
}

/** A step that did not get the answer it needed, with what the server said. */
export class DemoStepError extends Error {}

/** One HTTP call of the demo: throws DemoStepError, naming the call, on an unexpected status. */
export async function call<T = Record<string, unknown>>(method: string, url: string, options: CallOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.basic) headers.authorization = basicAuthorization(options.basic.clientId, options.basic.clientSecret);
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  const ok = options.expect ? options.expect.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!ok) {
    const hint = response.status === 404 ? ' (is this endpoint built yet?)' : '';
    throw new DemoStepError(`${method} ${new URL(url).pathname} answered ${response.status}${hint}: ${text.slice(0, 500)}`);
  }
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

/** RFC 6749 section 2.3.1: id and secret form-urlencoded, then HTTP Basic. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}
