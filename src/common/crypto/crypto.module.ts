import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SecretsKeyring } from './secrets-keyring.js';
import { loadOrCreateRootKey } from './secrets-key-file.js';

@Global()
@Module({
  providers: [
    {
      provide: SecretsKeyring,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<SecretsKeyring> => {
        if (config.secretsKey) return new SecretsKeyring(config.secretsKey);
        const loaded = await loadOrCreateRootKey(config.dataDir);
        // One line at every start, so an install running on the embedded default says so.
        const logger = new Logger('Secrets');
        if (loaded.generatedAt) {
          logger.warn(
            `SECRETS_KEY is not set: generated a new key at ${loaded.generatedAt}. Back it up; set SECRETS_KEY in production (the same value on every replica).`,
          );
        } else {
          logger.log(`SECRETS_KEY is not set: using the key at ${loaded.path}; set SECRETS_KEY in production.`);
        }
        return new SecretsKeyring(loaded.key);
      },
    },
  ],
  exports: [SecretsKeyring],
})
export class CryptoModule {}
