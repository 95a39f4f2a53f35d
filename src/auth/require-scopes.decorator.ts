import { SetMetadata } from '@nestjs/common';
import type { Scope } from '../common/scopes.js';

export const REQUIRED_SCOPES = 'orgsync:requiredScopes';

/** The scopes a token must carry, all of them, to reach the route (RFC 6750 section 3.1 insufficient_scope). */
export const RequireScopes = (...scopes: [Scope, ...Scope[]]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPES, scopes);
