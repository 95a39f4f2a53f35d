import { applyDecorators } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { parseScopeString } from '../../../common/scopes.js';
import { SYNC_CONNECTION_KINDS, UPSTREAM_AUTH_METHODS } from '../sync-connection.entity.js';
import { IsUpstreamUrl } from './upstream-url.js';

/** The class-validator rules of each field, shared by the create and update DTOs so both say the same. */

export const NameField = (): PropertyDecorator =>
  applyDecorators(
    IsString({ message: 'name must be a string' }),
    MinLength(1, { message: 'name must not be empty' }),
    MaxLength(200, { message: 'name must be at most 200 characters' }),
    Matches(/^[^\p{Cc}]*$/u, { message: 'name must not contain control characters' }),
  );

export const KindField = (): PropertyDecorator =>
  IsIn(SYNC_CONNECTION_KINDS, { message: `kind must be one of ${SYNC_CONNECTION_KINDS.join(', ')}` });

export const UrlField = (field: string): PropertyDecorator => IsUpstreamUrl(field);

/** RFC 6749 appendix A.1 and A.2: client_id and client_secret are VSCHARs, printable ASCII (%x20-7E). */
export const CredentialField = (field: string, max: number): PropertyDecorator =>
  applyDecorators(
    IsString({ message: `${field} must be a string` }),
    MinLength(1, { message: `${field} must not be empty` }),
    MaxLength(max, { message: `${field} must be at most ${max} characters` }),
    Matches(/^[\x20-\x7e]*$/, { message: `${field} may only contain printable ASCII characters (RFC 6749 appendix A)` }),
  );

export const AuthMethodField = (): PropertyDecorator =>
  IsIn(UPSTREAM_AUTH_METHODS, { message: `token_endpoint_auth_method must be one of ${UPSTREAM_AUTH_METHODS.join(', ')}` });

/** RFC 6749 section 3.3: scope tokens of printable ASCII without `"` or `\`, separated by single spaces. */
export const ScopeField = (): PropertyDecorator =>
  applyDecorators(
    IsString({ message: 'scope must be a space-delimited string of scopes' }),
    MaxLength(1000, { message: 'scope must be at most 1000 characters' }),
    ValidateBy({
      name: 'isScopeString',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseScopeString(value) !== undefined,
        defaultMessage: () => 'scope must be scope tokens separated by single spaces (RFC 6749 section 3.3)',
      },
    }),
  );

export const IntegerField = (field: string, limits: { readonly min: number; readonly max: number }, unit = ''): PropertyDecorator => {
  const message = `${field} must be a whole number${unit} from ${limits.min} to ${limits.max}`;
  return applyDecorators(IsInt({ message }), Min(limits.min, { message }), Max(limits.max, { message }));
};

export const EnabledField = (): PropertyDecorator => IsBoolean({ message: 'enabled must be true or false' });
