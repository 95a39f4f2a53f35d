import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';
import { SigningKeysRepository } from './signing-keys.repository.js';
import { SigningKeysService } from './signing-keys.service.js';

/** The signing keys, for the token issuer, the bearer guard and the CLI alike. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity])],
  providers: [SigningKeysRepository, SigningKeysService],
  exports: [SigningKeysRepository, SigningKeysService],
})
export class SigningKeysModule {}
