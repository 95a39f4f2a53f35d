import { ApiHeader, ApiParam } from '@nestjs/swagger';

/** OpenAPI pieces every organization resource documents the same way; `what` is "member", "group"... */
export const ApiResourceId = (what: string) => ApiParam({ name: 'id', format: 'uuid', description: `The ${what} ID.` });

export const ApiIfMatch = (what: string) =>
  ApiHeader({ name: 'If-Match', required: false, description: `Write only if the ${what} still has this ETag; 412 otherwise.` });

export const etagHeader = (what: string) => ({
  ETag: { description: `The version of the ${what}, for If-Match and If-None-Match.`, schema: { type: 'string' } },
});
