import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { DiscoveryController } from './discovery/discovery.controller.js';
import { SigningKeysInitializer } from './keys/signing-keys.initializer.js';
import { SigningKeysModule } from './keys/signing-keys.module.js';
import { ClientAssertionVerifier } from './client-auth/client-assertion.verifier.js';
import { ClientAuthenticator } from './client-auth/client-authenticator.js';
import { OAuthRateLimits } from './rate-limit/oauth-rate-limits.js';
import { ClientCredentialsGrant } from './token/grants/client-credentials.grant.js';
import { TOKEN_GRANTS, type TokenGrant } from './token/grants/token-grant.js';
import { TokenController } from './token/token.controller.js';
import { TokenService } from './token/token.service.js';
import { AccessTokenIssuer } from './tokens/access-token.issuer.js';

/** The authorization server: token endpoint, signing keys, discovery and JWKS. */
@Module({
  imports: [SigningKeysModule, ClientsModule],
  controllers: [TokenController, DiscoveryController],
  providers: [
    SigningKeysInitializer,
    AccessTokenIssuer,
    ClientAuthenticator,
    ClientAssertionVerifier,
    OAuthRateLimits,
    ClientCredentialsGrant,
    { provide: TOKEN_GRANTS, inject: [ClientCredentialsGrant], useFactory: (...grants: TokenGrant[]) => grants },
    TokenService,
  ],
})
export class OAuthModule {}
