import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { OAUTH2_SECURITY_SCHEME } from '../auth/require-scopes.decorator.js';
import { SCOPE_CATALOGUE } from '../common/scopes.js';
import type { AppConfig } from '../config/app-config.js';
import { TOKEN_PATH } from '../oauth/token/token.controller.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = `${DOCS_PATH}/openapi.json`;

/** The version of the API contract (the partner API is /api/v1), not of the package. */
const API_VERSION = '1.0.0';

const DESCRIPTION = `Machine-to-machine access to organization data.

A client trades its client ID and secret at the token endpoint for a short-lived access token (OAuth 2.0 client
credentials grant, RFC 6749 section 4.4) and calls the APIs with \`Authorization: Bearer <token>\`. Each route names
the scopes its token must carry. To try the APIs here, choose **Authorize**, enter a client ID and secret, and tick
the scopes to request.

Errors are RFC 9457 problem documents (\`application/problem+json\`), except at the token endpoint, which answers
as RFC 6749 section 5.2.`;

/**
 * The OpenAPI document of every route Nest has loaded. The routes document
 * themselves with decorators; this adds what is global: the OAuth 2.0 client
 * credentials scheme, whose scopes are the whole catalogue.
 */
export function buildOpenApiDocument(app: INestApplication, issuer: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('orgsync')
    .setVersion(API_VERSION)
    .setDescription(DESCRIPTION)
    .addServer(issuer)
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'OAuth 2.0 client credentials grant; the client authenticates with client_secret_basic or client_secret_post.',
        flows: { clientCredentials: { tokenUrl: `${issuer}/${TOKEN_PATH}`, scopes: { ...SCOPE_CATALOGUE } } },
      },
      OAUTH2_SECURITY_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

/**
 * Serves Swagger UI at /docs and the document at /docs/openapi.json. These are
 * plain Fastify routes, outside Nest's controllers and so outside its guards:
 * open to all. Call before app.init(), while Fastify still accepts routes.
 *
 * The document is built on the first request for it, not at start-up: walking
 * every route's metadata took a tenth of the time to ready (--cpu-prof), for a
 * document most processes never serve. SwaggerModule keeps it once built.
 */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  const document = () => buildOpenApiDocument(app, config.oauth.issuer);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'orgsync API',
    swaggerOptions: {
      // Partners paste a client secret into the Authorize dialog; never keep it in the browser's storage.
      persistAuthorization: false,
      displayOperationId: false,
    },
  });
}
