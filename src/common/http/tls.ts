import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { TlsConfig } from '../../config/app-config.js';
import { ConfigurationError } from '../../config/environment.js';

export interface HttpsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * Reads the certificate chain and private key for native HTTPS once, at
 * start-up, and checks they belong together, so that a bad path or a
 * mismatched pair stops the server with a message naming the variable rather
 * than a stack trace from deep inside the TLS stack.
 */
export function loadHttpsOptions(tls: TlsConfig | undefined): HttpsOptions | undefined {
  if (!tls) return undefined;
  const cert = readPem('TLS_CERT_FILE', tls.certFile);
  const key = readPem('TLS_KEY_FILE', tls.keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new ConfigurationError(
      `Invalid configuration:\n  - TLS_CERT_FILE and TLS_KEY_FILE must hold a PEM certificate and its private key (${reasonOf(error)})`,
    );
  }
  return { cert, key };
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigurationError(`Invalid configuration:\n  - ${variable} ${path} cannot be read (${reasonOf(error)})`);
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && !code.startsWith('ERR_OSSL')) return code;
  return error instanceof Error ? error.message : String(error);
}
