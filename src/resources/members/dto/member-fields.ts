import { applyDecorators } from '@nestjs/common';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** A name-like text field: a string, 1 to `max` characters, no control characters. */
export function TextField(field: string, max = 255): PropertyDecorator {
  return applyDecorators(
    IsString({ message: `${field} must be a string` }),
    MinLength(1, { message: `${field} must not be empty` }),
    MaxLength(max, { message: `${field} must be at most ${max} characters` }),
    Matches(NO_CONTROL_CHARACTERS, { message: `${field} must not contain control characters` }),
  );
}

/** RFC 5321 caps an address at 254 characters. */
export function EmailField(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: 'email must be a string' }),
    MaxLength(254, { message: 'email must be at most 254 characters' }),
    IsEmail({}, { message: 'email must be a valid email address' }),
  );
}
