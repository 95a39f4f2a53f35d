/**
 * What went wrong, independent of transport. Each code is mapped to an HTTP
 * status exactly once, in problem-details.filter.ts.
 */
export enum DomainErrorCode {
  NotFound = 'not_found',
  Conflict = 'conflict',
  Validation = 'validation_failed',
  Forbidden = 'forbidden',
  /** The record belongs to a sync connection: its system of record is elsewhere. */
  OwnedBySync = 'owned_by_sync',
  /** An If-Match precondition named a version that is no longer current (RFC 9110 section 13.1.1). */
  PreconditionFailed = 'precondition_failed',
  /** An Idempotency-Key was reused with a different request. */
  IdempotencyKeyReused = 'idempotency_key_reused',
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
    /** Extra members of the problem document (RFC 9457 section 3.2). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  static notFound(what: string): DomainError {
    return new DomainError(DomainErrorCode.NotFound, `${what} was not found.`);
  }

  static conflict(message: string): DomainError {
    return new DomainError(DomainErrorCode.Conflict, message);
  }

  static validation(message: string, fieldErrors: readonly FieldError[] = []): DomainError {
    return new DomainError(DomainErrorCode.Validation, message, fieldErrors);
  }

  static invalidField(field: string, message: string): DomainError {
    return new DomainError(DomainErrorCode.Validation, 'The request is invalid.', [{ field, message }]);
  }
}
