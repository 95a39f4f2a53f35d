import { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { type Level, pino } from 'pino';
import { RequestLogController } from './fastify-request-log.js';

/** A request whose log writes its lines, parsed, into `lines`. */
function requestLoggingAt(level: Level, lines: Record<string, unknown>[]): FastifyRequest {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level }, sink);
  return { method: 'GET', url: '/api/v1/members?access_token=secret', log } as unknown as FastifyRequest;
}

describe('RequestLogController.incomingRequest', () => {
  it('writes "request received" at trace, with the path and never the query', async () => {
    const lines: Record<string, unknown>[] = [];
    new RequestLogController().incomingRequest(requestLoggingAt('trace', lines));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([expect.objectContaining({ msg: 'request received', method: 'GET', path: '/api/v1/members' })]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it.each<Level>(['debug', 'info'])('writes nothing at %s', async (level) => {
    const lines: Record<string, unknown>[] = [];
    new RequestLogController().incomingRequest(requestLoggingAt(level, lines));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([]);
  });
});
