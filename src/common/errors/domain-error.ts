/**
 * What went wrong, independent of transport. Each code is mapped to an HTTP
 * status exactly once, in problem-details.filter.ts.
 */
export enum DomainErrorCode {
  NotFound = 'not_found',
  Conflict = 'conflict',
  Validation = 'validation_failed',
  Forbidden = 'forbidden',
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
