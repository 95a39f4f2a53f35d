import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecretsKeyring } from '../common/crypto/secrets-keyring.js';
import { ConfigurationError } from '../config/environment.js';
import { SettingEntity } from './setting.entity.js';

export const FINGERPRINT_SETTING = 'secrets_key_fingerprint';

/**
 * Client-secret hashes and sealed signing keys are only readable with the
 * SECRETS_KEY they were made with. The first process to start records a
 * fingerprint of its key; every later process (server, CLI, replica) checks
 * its own against it before writing anything, so a wrong or missing key (a
 * different working directory without SECRETS_KEY, say) stops it with a clear
 * message instead of handing out secrets nobody can verify.
 */
@Injectable()
export class SecretsKeyFingerprint implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keyring: SecretsKeyring,
  ) {}

  async onModuleInit(): Promise<void> {
    const fingerprint = this.keyring.fingerprint();
    const settings = this.dataSource.getRepository(SettingEntity);
    // Read first, and write only on a database that has no fingerprint yet: every start of every process (each CLI
    // command included) passes here, and on SQLite a write waits for the server's write lock, which a read-only
    // command has no business waiting for (a sync holds it through each page's transaction).
    let recorded = await settings.findOneBy({ name: FINGERPRINT_SETTING });
    if (recorded === null) {
      // Several processes may start together: the first insert wins, the others read it.
      await settings.createQueryBuilder().insert().values({ name: FINGERPRINT_SETTING, value: fingerprint }).orIgnore().execute();
      recorded = await settings.findOneByOrFail({ name: FINGERPRINT_SETTING });
    }
    if (recorded.value !== fingerprint) {
      throw new ConfigurationError(
        'SECRETS_KEY is not the key this database was set up with. Use the same SECRETS_KEY for every process ' +
          '(or, without SECRETS_KEY, the same data directory and its secrets.key).',
      );
    }
  }
}
