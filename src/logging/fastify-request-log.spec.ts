import { jest } from '@jest/globals';
import { Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Level, type Logger, pino } from 'pino';
import { fastifyLogging, RequestLogController } from './fastify-request-log.js';

/** A pino logger at `level` whose lines land, parsed, in `lines`. */
function loggerAt(level: Level, lines: Record<string, unknown>[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level }, sink);
}

/** A request whose log writes its lines, parsed, into `lines`. */
function requestLoggingAt(level: Level, lines: Record<string, unknown>[]): FastifyRequest {
  const log = loggerAt(level, lines);
  return { method: 'GET', url: '/api/v1/members?access_token=secret', log } as unknown as FastifyRequest;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RequestLogController.incomingRequest', () => {
  it('writes "request received" at trace, with the path and never the query', async () => {
    const lines: Record<string, unknown>[] = [];
    new RequestLogController(pino({ level: 'silent' })).incomingRequest(requestLoggingAt('trace', lines));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([expect.objectContaining({ msg: 'request received', method: 'GET', path: '/api/v1/members' })]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it.each<Level>(['debug', 'info'])('writes nothing at %s', async (level) => {
    const lines: Record<string, unknown>[] = [];
    new RequestLogController(pino({ level: 'silent' })).incomingRequest(requestLoggingAt(level, lines));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([]);
  });
});

describe('RequestLogController.requestCompleted', () => {
  const request = {
    id: 'req-7',
    method: 'GET',
    url: '/api/v1/members/abc?access_token=secret',
    routeOptions: { url: '/api/v1/members/:id' },
    ip: '127.0.0.1',
  } as unknown as FastifyRequest;
  const replyWith = (statusCode: number): FastifyReply => ({ statusCode, elapsedTime: 1.23456 }) as unknown as FastifyReply;

  it('writes one line through the root with the request ID first, the route, path, status and time, never the query', async () => {
    const lines: Record<string, unknown>[] = [];
    new RequestLogController(loggerAt('info', lines)).requestCompleted(null, request, replyWith(200));
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        requestId: 'req-7',
        method: 'GET',
        route: '/api/v1/members/:id',
        path: '/api/v1/members/abc',
        status: 200,
        responseTime: 1.235,
        remoteAddress: '127.0.0.1',
      }),
    ]);
    expect(Object.keys(lines[0]!).slice(Object.keys(lines[0]!).indexOf('requestId'), -1)).toEqual([
      'requestId',
      'method',
      'route',
      'path',
      'status',
      'responseTime',
      'remoteAddress',
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('writes a failure at error with the error', async () => {
    const lines: Record<string, unknown>[] = [];
    new RequestLogController(loggerAt('info', lines)).requestCompleted(new Error('boom'), request, replyWith(500));
    await settle();
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'request failed', requestId: 'req-7', status: 500 })]);
  });
});

describe('fastifyLogging().childLoggerFactory', () => {
  it('makes no pino child until something logs through it, reads the level without one, and makes one at most', () => {
    const root = loggerAt('info', []);
    const { childLoggerFactory } = fastifyLogging(root);
    const child = jest.spyOn(root, 'child');
    const log = childLoggerFactory(undefined, { requestId: 'req-1' }, {});
    expect(log.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
    log.info('first');
    log.info('second');
    expect(child).toHaveBeenCalledTimes(1);
    expect(child).toHaveBeenCalledWith({ requestId: 'req-1' }, {});
  });

  it('writes through the child with the request ID, in every call form pino takes', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = fastifyLogging(loggerAt('trace', lines)).childLoggerFactory(undefined, { requestId: 'req-3' }, {});
    log.warn('plain');
    log.info({ status: 404 }, 'with %s', 'format');
    log.error(new Error('broken'));
    log.trace({ only: 'object' });
    log.child({ part: 'inner' }).info('nested');
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({ requestId: 'req-3', level: 40, msg: 'plain' }),
      expect.objectContaining({ requestId: 'req-3', level: 30, msg: 'with format', status: 404 }),
      expect.objectContaining({ requestId: 'req-3', level: 50, msg: 'broken' }),
      expect.objectContaining({ requestId: 'req-3', level: 10, only: 'object' }),
      expect.objectContaining({ requestId: 'req-3', part: 'inner', msg: 'nested' }),
    ]);
  });

  it('follows a level Fastify sets per route, and a level set on it later', () => {
    const root = loggerAt('info', []);
    const log = fastifyLogging(root).childLoggerFactory(undefined, { requestId: 'req-4' }, { level: 'warn' });
    expect(log.level).toBe('warn');
    log.level = 'debug';
    expect(log.level).toBe('debug');
    expect(root.level).toBe('info');
  });
});
