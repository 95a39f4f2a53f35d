import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokenVerificationModule } from '../auth/access-token-verification.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { DiscoveryController } from './discovery/discovery.controller.js';
import { SigningKeysModule } from './keys/signing-keys.module.js';
import { ClientAssertionVerifier } from './client-auth/client-assertion.verifier.js';
import { ClientAuthenticator } from './client-auth/client-authenticator.js';
import { ClientJwks } from './client-auth/client-jwks.js';
import { UsedAssertionEntity } from './client-auth/used-assertion.entity.js';
import { UsedAssertionsPruner } from './client-auth/used-assertions.pruner.js';
import { UsedAssertionsRepository } from './client-auth/used-assertions.repository.js';
import { IntrospectionController } from './introspection/introspection.controller.js';
import { IntrospectionService } from './introspection/introspection.service.js';
import { OAuthRateLimits } from './rate-limit/oauth-rate-limits.js';
import { RevocationController } from './revocation/revocation.controller.js';
import { RevocationModule } from './revocation/revocation.module.js';
import { RevocationService } from './revocation/revocation.service.js';
import { ClientCredentialsGrant } from './token/grants/client-credentials.grant.js';
import { TOKEN_GRANTS, type TokenGrant } from './token/grants/token-grant.js';
import { TokenController } from './token/token.controller.js';
import { TokenService } from './token/token.service.js';
import { AccessTokenIssuer } from './tokens/access-token.issuer.js';
import { JwsSigningThread } from './tokens/jws-signing-thread.js';

/**
 * The authorization server's endpoints: token, introspection, revocation,
 * discovery and JWKS. Loaded where the process serves the APIs (ROLE api or
 * both); the signing keys' start-up check and rotation schedule run in every
 * role (SigningKeysServerModule).
 */
@Module({
  imports: [
    SigningKeysModule,
    ClientsModule,
    AccessTokenVerificationModule,
    RevocationModule,
    TypeOrmModule.forFeature([UsedAssertionEntity]),
  ],
  controllers: [TokenController, IntrospectionController, RevocationController, DiscoveryController],
  providers: [
    AccessTokenIssuer,
    JwsSigningThread,
    ClientAuthenticator,
    ClientAssertionVerifier,
    ClientJwks,
    UsedAssertionsRepository,
    UsedAssertionsPruner,
    OAuthRateLimits,
    ClientCredentialsGrant,
    { provide: TOKEN_GRANTS, inject: [ClientCredentialsGrant], useFactory: (...grants: TokenGrant[]) => grants },
    TokenService,
    IntrospectionService,
    RevocationService,
  ],
})
export class OAuthModule {}
