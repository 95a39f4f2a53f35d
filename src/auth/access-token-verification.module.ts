import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { SigningKeysModule } from '../oauth/keys/signing-keys.module.js';
import { RevocationModule } from '../oauth/revocation/revocation.module.js';
import { AccessTokenVerifier } from './access-token.verifier.js';

/**
 * The access-token verifier alone, without the global guards: the bearer guard
 * uses it, and so do introspection and revocation (RFC 7662, RFC 7009), which
 * must judge a token exactly as the resource APIs do.
 */
@Module({
  imports: [ClientsModule, SigningKeysModule, RevocationModule],
  providers: [AccessTokenVerifier],
  exports: [AccessTokenVerifier],
})
export class AccessTokenVerificationModule {}
