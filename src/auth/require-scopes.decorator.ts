import { applyDecorators, SetMetadata } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ApiOAuth2 } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator.js';
import type { Scope } from '../common/scopes.js';
import { IS_PUBLIC } from './public.decorator.js';

export const REQUIRED_SCOPES = 'orgsync:requiredScopes';

/** The name of the OAuth 2.0 security scheme in the OpenAPI document (src/openapi/openapi.ts). */
export const OAUTH2_SECURITY_SCHEME = 'oauth2';

/**
 * The scopes a token must carry, all of them, to reach the route (RFC 6750 section 3.1 insufficient_scope).
 * It also documents the route in OpenAPI: security `[{ oauth2: scopes }]` and the 401 and 403 problems.
 */
export const RequireScopes =
  (...scopes: [Scope, ...Scope[]]): MethodDecorator & ClassDecorator =>
  (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (key !== undefined && descriptor) {
      SetMetadata(REQUIRED_SCOPES, scopes)(target, key, descriptor);
      documentScopes(scopes)(target, key, descriptor);
    } else {
      SetMetadata(REQUIRED_SCOPES, scopes)(target as () => void);
      documentRoutesOf(target as () => void, scopes);
    }
  };

function documentScopes(scopes: readonly Scope[]): MethodDecorator {
  return applyDecorators(ApiOAuth2([...scopes], OAUTH2_SECURITY_SCHEME), ApiProblemResponses(401, 403));
}

/**
 * OpenAPI lists class-level security beside a method's own as alternatives,
 * while the guards let a method's @RequireScopes or @Public() replace the
 * class's (getAllAndOverride). So the class's scopes are written onto each
 * route that does not declare its own. Method decorators run before class
 * decorators, so a method's own declaration is already visible here.
 */
function documentRoutesOf(controller: () => void, scopes: readonly Scope[]): void {
  const prototype = controller.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    const handler: unknown = descriptor?.value;
    if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
    if (Reflect.hasOwnMetadata(REQUIRED_SCOPES, handler) || Reflect.getOwnMetadata(IS_PUBLIC, handler) === true) continue;
    documentScopes(scopes)(prototype, name, descriptor!);
  }
}
