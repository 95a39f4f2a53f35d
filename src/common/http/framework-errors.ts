/**
 * Errors Fastify raises before a route handler runs (body parsing, size limits,
 * media types), as a status and a message that is safe to show a client.
 */
export interface FrameworkErrorDescription {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
}

/** The code of JSON bodies refused for their shape (nesting too deep); see body-parsers.ts. */
export const JSON_SHAPE_ERROR = 'ORGSYNC_JSON_SHAPE';

const KNOWN: Record<string, (error: FastifyLikeError) => FrameworkErrorDescription> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => ({ status: 413, code: 'payload_too_large', detail: 'The request body is too large.' }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => ({
    status: 415,
    code: 'unsupported_media_type',
    detail: 'The request body has a content type this endpoint does not accept.',
  }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ({
    status: 400,
    code: 'invalid_content_length',
    detail: 'The Content-Length header does not match the body.',
  }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ({ status: 400, code: 'malformed_body', detail: 'The JSON body is empty.' }),
  FST_ERR_CTP_INVALID_JSON_BODY: () => ({ status: 400, code: 'malformed_body', detail: 'The body is not valid JSON.' }),
  FST_ERR_CTP_EMPTY_TYPE: () => ({ status: 415, code: 'unsupported_media_type', detail: 'The Content-Type header is empty.' }),
  FST_ERR_CTP_INVALID_TYPE: () => ({ status: 415, code: 'unsupported_media_type', detail: 'The Content-Type header is invalid.' }),
  FST_ERR_BAD_URL: () => ({ status: 400, code: 'bad_url', detail: 'The request URL is malformed.' }),
  FST_ERR_MAX_PARAM_LENGTH: () => ({ status: 414, code: 'uri_too_long', detail: 'A path segment of the URL is too long.' }),
  [JSON_SHAPE_ERROR]: (error) => ({ status: 400, code: 'malformed_body', detail: error.message }),
};

interface FastifyLikeError {
  code: string;
  statusCode?: number;
  message: string;
}

function isFastifyLikeError(error: unknown): error is FastifyLikeError {
  return error instanceof Error && typeof (error as Partial<FastifyLikeError>).code === 'string';
}

export function describeFrameworkError(error: unknown): FrameworkErrorDescription | undefined {
  if (!isFastifyLikeError(error)) return undefined;
  const known = KNOWN[error.code];
  if (known) return known(error);
  // JSON.parse errors surface as SyntaxError with statusCode 400 from Fastify's JSON parser.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'bad_request', detail: 'The request could not be parsed.' };
  }
  return undefined;
}
