import type { Type } from '@nestjs/common';
import { problemValidationPipe } from '../common/http/validation.pipe.js';

/** The very pipe the HTTP API validates with, so both front doors apply one set of rules and messages. */
const pipe = problemValidationPipe();

/**
 * Turns options into a validated DTO, as the API does with a request body or
 * query; throws the API's DomainError (with one entry per field) when invalid.
 * Runs before the database is opened, so a typo fails fast.
 */
export async function validated<T extends object>(
  dto: Type<T>,
  input: Record<string, unknown>,
  from: 'body' | 'query' = 'body',
): Promise<T> {
  // A JSON body never carries `undefined`: an option that was not given is a field that was not sent.
  const sent = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return (await pipe.transform(sent, { type: from, metatype: dto })) as T;
}

/**
 * A JSON body carries numbers, the command line only strings: convert what
 * looks like a number and leave anything else as text, so that the DTO, not
 * this parser, says what is wrong with it.
 */
export function jsonNumber(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/** True when at least one field was given. */
export function anyGiven(input: Record<string, unknown>): boolean {
  return Object.values(input).some((value) => value !== undefined);
}
