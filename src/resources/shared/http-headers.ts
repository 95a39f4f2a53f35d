import { Headers } from '@nestjs/common';

/**
 * One request header, or undefined: Nest's own @Headers(name), on which no pipe
 * runs. A custom param decorator's value goes through the global ValidationPipe,
 * a chain of promises per parameter with nothing to validate (profile of
 * GET /members/:id). Node's HTTP parser joins a repeated header into one
 * comma-separated string (only set-cookie comes as a list), so this is a string.
 */
export const RequestHeader = (name: string): ParameterDecorator => Headers(name);
