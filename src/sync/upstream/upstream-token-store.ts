import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecretsKeyring } from '../../common/crypto/secrets-keyring.js';
import type { SharedToken, SharedTokenCache, UpstreamCredentials } from './upstream-token-client.js';
import { UpstreamTokenEntity } from './upstream-token.entity.js';

/**
 * The upstream tokens of every connection, shared by all replicas through the
 * database: one token fetch per token lifetime, not one per replica. Tokens
 * are sealed with the SECRETS_KEY-derived key and bound to an HMAC of the
 * credentials that fetched them, so new credentials never get an old token.
 * Replicas that fetch at the same moment each store theirs; the last write
 * wins and every one of those tokens stays good until it expires.
 */
@Injectable()
export class UpstreamTokenStore {
  private readonly logger = new Logger('Sync');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keyring: SecretsKeyring,
  ) {}

  /** A digest of the credentials (the secret included), useless without the server's key: never the credentials themselves. */
  credentialsKey(credentials: UpstreamCredentials): string {
    return this.keyring.hmacSha256(`orgsync/upstream-credentials/v1:${JSON.stringify(credentials)}`).toString('base64url');
  }

  /** The shared token of one connection, as fetched with the credentials of `credentialsKey`. */
  forConnection(connectionId: string, credentialsKey: string): SharedTokenCache {
    return {
      load: () => this.load(connectionId, credentialsKey),
      save: (token) => this.save(connectionId, credentialsKey, token),
      drop: (value) => this.drop(connectionId, value),
    };
  }

  private get tokens() {
    return this.dataSource.getRepository(UpstreamTokenEntity);
  }

  private async load(connectionId: string, credentialsKey: string): Promise<SharedToken | undefined> {
    const row = await this.tokens.findOneBy({ connectionId, credentialsKey });
    if (!row) return undefined;
    const value = this.open(row);
    return value === undefined ? undefined : { value, expiresAt: row.expiresAt.getTime(), fetchedAt: row.fetchedAt.getTime() };
  }

  private async save(connectionId: string, credentialsKey: string, token: SharedToken): Promise<void> {
    await this.tokens.upsert(
      {
        connectionId,
        credentialsKey,
        accessToken: this.keyring.encrypt(token.value),
        expiresAt: new Date(token.expiresAt),
        fetchedAt: new Date(token.fetchedAt),
      },
      ['connectionId'],
    );
  }

  /** Forgets the token the upstream refused, unless another replica has stored a newer one meanwhile. */
  private async drop(connectionId: string, refused: string): Promise<void> {
    const row = await this.tokens.findOneBy({ connectionId });
    // Compare and delete: the condition on the sealed value keeps a token stored since the read.
    if (row && this.open(row) === refused) await this.tokens.delete({ connectionId, accessToken: row.accessToken });
  }

  /** The token in clear, or undefined when it cannot be opened (sealed under another SECRETS_KEY): it is then fetched anew. */
  private open(row: UpstreamTokenEntity): string | undefined {
    try {
      return this.keyring.decrypt(row.accessToken);
    } catch {
      this.logger.warn(`The stored upstream token of connection ${row.connectionId} cannot be decrypted; fetching a new one.`);
      return undefined;
    }
  }
}
