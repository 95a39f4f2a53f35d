/**
 * Reference row: a bare node:http server answering every request with the
 * same small JSON body. It is the ceiling of what one Node process and this
 * load generator reach on the machine; orgsync's rows are read against it.
 * Run as its own process by the harness: PORT (and HOST) from the environment.
 */
import { createServer } from 'node:http';

const BODY = Buffer.from(JSON.stringify({ status: 'ok' }));

const server = createServer((request, response) => {
  // Drain any request body before answering, as a real handler would.
  request.resume();
  request.once('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
    response.end(BODY);
  });
});

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
