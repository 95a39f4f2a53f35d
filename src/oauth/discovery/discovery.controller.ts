import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/public.decorator.js';
import { AppConfig } from '../../config/app-config.js';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../clients/client.entity.js';
import { KNOWN_SCOPES } from '../../common/scopes.js';
import { ASSERTION_SIGNING_ALGORITHMS } from '../client-auth/assertion-rules.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { INTROSPECTION_PATH, REVOCATION_PATH, TOKEN_PATH } from '../oauth-paths.js';
import { AuthorizationServerMetadata, JsonWebKeySet } from './discovery.schemas.js';

@Controller()
@Public()
@ApiTags('OAuth 2.0')
export class DiscoveryController {
  private readonly metadata: Record<string, unknown>;

  constructor(
    config: AppConfig,
    private readonly keys: SigningKeysService,
  ) {
    const issuer = config.oauth.issuer;
    // RFC 8414 section 2.
    this.metadata = {
      issuer,
      token_endpoint: `${issuer}/${TOKEN_PATH}`,
      jwks_uri: `${issuer}/oauth/jwks`,
      scopes_supported: KNOWN_SCOPES,
      // Required by section 2; empty because there is no authorization endpoint.
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
      // The algorithms private_key_jwt assertions may use (RFC 7523): asymmetric only.
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_SIGNING_ALGORITHMS,
      // RFC 7009 and RFC 7662; clients authenticate there as at the token endpoint.
      revocation_endpoint: `${issuer}/${REVOCATION_PATH}`,
      revocation_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
      revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_SIGNING_ALGORITHMS,
      introspection_endpoint: `${issuer}/${INTROSPECTION_PATH}`,
      introspection_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_SIGNING_ALGORITHMS,
    };
  }

  @Get('.well-known/oauth-authorization-server')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)', description: 'OAuth libraries configure themselves from it.' })
  @ApiOkResponse({ type: AuthorizationServerMetadata })
  discovery(): Record<string, unknown> {
    return this.metadata;
  }

  /** RFC 7517 JWK Set: the signing key and retired keys whose tokens may still be live. */
  @Get('oauth/jwks')
  @Header('cache-control', 'public, max-age=60')
  @Header('content-type', 'application/jwk-set+json')
  @ApiOperation({ summary: 'Token signing keys (RFC 7517)', description: 'Verify access tokens against these keys.' })
  @ApiProduces('application/jwk-set+json')
  @ApiOkResponse({ type: JsonWebKeySet })
  async jwks(): Promise<object> {
    return this.keys.jwks();
  }
}
