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
        if (loaded.generatedAt) {
          new Logger('Secrets').warn(
            `SECRETS_KEY is not set: generated a key at ${loaded.generatedAt}. Back it up; set SECRETS_KEY to the same value on every replica.`,
          );
        }
        return new SecretsKeyring(loaded.key);
      },
    },
  ],
  exports: [SecretsKeyring],
})
export class CryptoModule {}
