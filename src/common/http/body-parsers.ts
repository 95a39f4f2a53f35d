import type { FastifyInstance } from 'fastify';
import { JSON_SHAPE_ERROR } from './framework-errors.js';
import { jsonShapeProblem } from './json-shape.js';

/** OAuth requests are small; a larger form body is refused before it is read whole. */
export const FORM_BODY_LIMIT = 16 * 1024;

/**
 * Form bodies are handed over raw (a Buffer) so the token endpoint can parse
 * them strictly: duplicate detection, UTF-8 and percent-encoding checks. JSON
 * uses Fastify's own parser, which guards against prototype poisoning, and is
 * then refused if it is nested absurdly deep.
 */
export function registerBodyParsers(fastify: FastifyInstance, formPaths: readonly string[]): void {
  // Nothing here reads text/plain; refusing it makes a wrong Content-Type a clear 415.
  fastify.removeContentTypeParser('text/plain');
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, String(body), (error, value) => {
      if (error) return done(error, undefined);
      const problem = jsonShapeProblem(value);
      if (problem) return done(Object.assign(new Error(problem), { statusCode: 400, code: JSON_SHAPE_ERROR }), undefined);
      done(null, value);
    });
  });
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT },
    (request, body, done) => {
      // Only the OAuth endpoints take form bodies; elsewhere a form is the wrong media type, not bad JSON.
      if (formPaths.includes(request.url.split('?', 1)[0] ?? '')) done(null, body);
      else done(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
    },
  );
}
