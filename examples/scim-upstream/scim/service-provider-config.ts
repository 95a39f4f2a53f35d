import type { ListingConfig } from './list-request.js';
import { SERVICE_PROVIDER_CONFIG_SCHEMA } from './scim-resources.js';

/**
 * RFC 7643 section 5: what this provider supports. Only reads are served, so
 * patch, bulk, changePassword, sort and etag are all unsupported. With cursor
 * paging on, the RFC 9865 section 4 `pagination` attribute says so.
 */
export function serviceProviderConfig(config: ListingConfig, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: 'https://www.rfc-editor.org/rfc/rfc7644',
    patch: { supported: false },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: config.filterSupported, maxResults: config.maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'An access token from this service provider token endpoint (client credentials grant).',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    ...(config.cursor !== false && {
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: config.cursor.defaultMethod,
        defaultPageSize: Math.min(config.defaultPageSize, config.maxResults),
        maxPageSize: config.maxResults,
        cursorTimeout: config.cursor.timeoutSeconds,
      },
    }),
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}
