import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClientKey, jwksOf } from './client-keys.js';

/**
 * A partner's jwks_uri that holds every request until told to answer: a token
 * request that waits on it is in flight for as long as the test wants (a
 * shutdown must let it finish).
 */
export async function startHeldJwks(key: ClientKey) {
  const held: ServerResponse[] = [];
  const server = createServer((_request, response) => void held.push(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    held: () => held.length,
    release: () => {
      for (const response of held.splice(0))
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwksOf(key)));
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
