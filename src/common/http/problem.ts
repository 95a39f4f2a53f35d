import type { FieldError } from '../errors/domain-error.js';

/** An RFC 9457 problem details document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: readonly FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are URNs: stable identifiers that never resolve to anything that could leak. */
export function problemType(code: string): string {
  return `urn:orgsync:problem:${code}`;
}

/**
 * An error that already knows its HTTP rendering: status, problem type and
 * extra headers (such as WWW-Authenticate). Feature modules throw it when the
 * HTTP shape is part of a standard (RFC 6750) rather than a domain decision.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
  }
}
