import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../clients/clients.module.js';
import { DiscoveryController } from './discovery/discovery.controller.js';
import { SigningKeyEntity } from './keys/signing-key.entity.js';
import { SigningKeysRepository } from './keys/signing-keys.repository.js';
import { SigningKeysService } from './keys/signing-keys.service.js';
import { ClientAuthenticator } from './token/client-authenticator.js';
import { ClientCredentialsGrant } from './token/grants/client-credentials.grant.js';
import { TOKEN_GRANTS, type TokenGrant } from './token/grants/token-grant.js';
import { TokenController } from './token/token.controller.js';
import { TokenService } from './token/token.service.js';
import { AccessTokenIssuer } from './tokens/access-token.issuer.js';

/** The authorization server: token endpoint, signing keys, discovery and JWKS. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity]), ClientsModule],
  controllers: [TokenController, DiscoveryController],
  providers: [
    SigningKeysRepository,
    SigningKeysService,
    AccessTokenIssuer,
    ClientAuthenticator,
    ClientCredentialsGrant,
    { provide: TOKEN_GRANTS, inject: [ClientCredentialsGrant], useFactory: (...grants: TokenGrant[]) => grants },
    TokenService,
  ],
  exports: [SigningKeysService],
})
export class OAuthModule {}
