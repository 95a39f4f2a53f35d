import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RevocationList } from './revocation-list.js';
import { RevokedTokenEntity } from './revoked-token.entity.js';
import { RevokedTokensRepository } from './revoked-tokens.repository.js';

/**
 * The revocation list, one per process, shared by the revocation endpoint (which
 * writes it) and the access-token verifier (which reads it on every bearer call).
 * Server only: the CLI does not import it, so it never polls there.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RevokedTokenEntity])],
  providers: [RevokedTokensRepository, RevocationList],
  exports: [RevocationList],
})
export class RevocationModule {}
