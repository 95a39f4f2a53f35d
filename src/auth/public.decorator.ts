import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'orgsync:isPublic';

/**
 * Opts a route out of bearer authentication. Every route is protected unless
 * it says otherwise: the token endpoint, discovery and the JWKS are public.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
