import { Body, Query, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '../errors/domain-error.js';

/**
 * Validates request DTOs and turns failures into one problem document with an
 * entry per field. Unknown fields are refused, so a typo is not silently ignored.
 */
export function problemValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => DomainError.validation('The request is invalid.', flatten(errors)),
  });
}

/**
 * The one instance every request DTO is validated with (the pipe keeps no state
 * between requests). Bound per parameter, not as a global pipe: a global pipe
 * runs on every handler parameter (each @Param, @CurrentPrincipal(), ...), a
 * chain of about ten promises each with nothing to validate, which cost 5-7 %
 * CPU per request on GET /api/v1/members/:id.
 */
export const REQUEST_VALIDATION_PIPE: ValidationPipe = problemValidationPipe();

/**
 * @Body() validated against its DTO class. Every DTO body must use this, not
 * @Body(): there is no global pipe, so a plain @Body() takes the JSON unchecked
 * (test/e2e/request-validation.e2e-spec.ts fails on one).
 */
export const ValidBody = (): ParameterDecorator => Body(REQUEST_VALIDATION_PIPE);

/**
 * @Query() validated against its DTO class and converted (strings to numbers,
 * booleans); every DTO query must use this, not @Query(), as ValidBody says.
 */
export const ValidQuery = (): ParameterDecorator => Query(REQUEST_VALIDATION_PIPE);

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    // Rules sharing one message (IsInt, Min and Max saying "between 1 and 500") are said once.
    const messages = new Set(
      Object.values(error.constraints ?? {}).map((message) =>
        message.replace(/^property (\S+) should not exist$/, '$1 is not a known field'),
      ),
    );
    const own = [...messages].map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}
