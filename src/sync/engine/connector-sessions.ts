import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import type { SyncConnectionEntity } from '../connections/sync-connection.entity.js';
import { SyncConnectionsService } from '../connections/sync-connections.service.js';
import { type ConnectorSession, SYNC_CONNECTORS, type SyncConnector } from '../connectors/sync-connector.js';
import { UpstreamHttp } from '../upstream/upstream-http.js';
import { UpstreamSession } from '../upstream/upstream-session.js';
import { UpstreamTokenClient } from '../upstream/upstream-token-client.js';
import { UpstreamTokenStore } from '../upstream/upstream-token-store.js';

/** Opens a connection's upstream for a run: its connector, over authenticated HTTP with a token shared by every replica. */
@Injectable()
export class ConnectorSessions {
  private readonly tokenClients = new Map<string, { key: string; client: UpstreamTokenClient }>();

  constructor(
    @Inject(SYNC_CONNECTORS) private readonly connectors: SyncConnector[],
    private readonly connections: SyncConnectionsService,
    private readonly tokens: UpstreamTokenStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async open(connection: SyncConnectionEntity): Promise<ConnectorSession> {
    const connector = this.connectors.find((candidate) => candidate.kind === connection.kind);
    if (!connector) throw new Error(`No connector for kind ${connection.kind}.`);
    const http = new UpstreamHttp({
      timeoutMs: this.config.sync.httpTimeoutMs,
      retry: { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 60_000 },
    });
    const session = new UpstreamSession(this.tokenClientFor(connection, http), http);
    return connector.open({ baseUrl: connection.baseUrl.replace(/\/+$/, ''), getJson: (url) => session.getJson(url) });
  }

  /**
   * One token client per connection and credentials, kept across runs, in
   * front of the token shared through the database: the upstream's token is
   * reused, by this replica and the others, until shortly before it expires.
   * New credentials get a new client, and never the old credentials' token.
   */
  private tokenClientFor(connection: SyncConnectionEntity, http: UpstreamHttp): UpstreamTokenClient {
    const credentials = this.connections.credentialsOf(connection);
    const key = this.tokens.credentialsKey(credentials);
    const cached = this.tokenClients.get(connection.id);
    if (cached?.key === key) return cached.client;
    const shared = this.tokens.forConnection(connection.id, key);
    const client = new UpstreamTokenClient(credentials, http, () => this.clock.now().getTime(), shared);
    this.tokenClients.set(connection.id, { key, client });
    return client;
  }
}
