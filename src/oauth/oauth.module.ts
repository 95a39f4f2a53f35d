import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { DiscoveryController } from './discovery/discovery.controller.js';
import { SigningKeysInitializer } from './keys/signing-keys.initializer.js';
import { SigningKeysModule } from './keys/signing-keys.module.js';
import { ClientAuthenticator } from './token/client-authenticator.js';
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
    ClientCredentialsGrant,
    { provide: TOKEN_GRANTS, inject: [ClientCredentialsGrant], useFactory: (...grants: TokenGrant[]) => grants },
    TokenService,
  ],
})
export class OAuthModule {}
