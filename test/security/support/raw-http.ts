import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Header lines as received, names lower-cased; repeated names keep every value. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection and reads the whole
 * answer. HTTP client libraries refuse to send CR, LF or non-Latin-1 characters
 * in a header, which is precisely what a header-injection test must send.
 */
export function rawRequest(baseUrl: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
        }),
        body: rest.join('\r\n\r\n'),
      });
    });
    // Not end(): a half-closed socket may be dropped before a slow answer is written; Connection: close ends it.
    socket.write(request);
  });
}

/** A GET with the given extra header lines, written verbatim (CRLF and all), and Connection: close. */
export function rawGet(baseUrl: string, path: string, headerLines: string[]): Promise<RawResponse> {
  const { host } = new URL(baseUrl);
  return rawRequest(
    baseUrl,
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${headerLines.map((l) => `${l}\r\n`).join('')}Connection: close\r\n\r\n`, 'utf8'),
  );
}

export function headerValues(response: RawResponse, name: string): string[] {
  return response.headers.filter(([key]) => key === name).map(([, value]) => value);
}

/** A request with a JSON body and the given extra header lines, written verbatim. */
export function rawJson(baseUrl: string, method: string, path: string, headerLines: string[], body: unknown): Promise<RawResponse> {
  const { host } = new URL(baseUrl);
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const head = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${host}`,
    ...headerLines,
    'Content-Type: application/json',
    `Content-Length: ${payload.length}`,
    'Connection: close',
  ];
  return rawRequest(baseUrl, Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), payload]));
}
