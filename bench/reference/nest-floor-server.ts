/**
 * Reference rows: the "NestJS floor". A minimal NestJS app on Fastify, one
 * module written the plain way, doing only the work of orgsync's token and
 * read rows: Basic client authentication, an HMAC-SHA-256 secret check and a
 * synchronously signed ES256 access token; a bearer guard and a member from a
 * Map. No database, logging, metrics, rate limits or security headers: what it
 * reaches is what NestJS on Fastify itself allows on this machine, the floor
 * under orgsync's own rows.
 * Run as its own process by the harness, in production mode, with PORT,
 * ISSUER, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET and BENCH_FLOOR_BEARER from the
 * environment; GET /jwks publishes the signing key.
 */
import 'reflect-metadata';
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Header,
  Headers,
  HttpCode,
  Injectable,
  Module,
  NotFoundException,
  Param,
  Post,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { NEST_FLOOR_AUDIENCE, NEST_FLOOR_MEMBER, NEST_FLOOR_SCOPE, NEST_FLOOR_TOKEN_SECONDS } from './nest-floor-settings.js';

const env = {
  issuer: required('ISSUER'),
  clientId: required('BENCH_CLIENT_ID'),
  clientSecret: required('BENCH_CLIENT_SECRET'),
  bearer: required('BENCH_FLOOR_BEARER'),
};

const KEY_ID = 'floor-es256';

interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

@Injectable()
class TokenService {
  private readonly hmacKey = randomBytes(32);
  private readonly clients = new Map([[env.clientId, { secretHmac: this.hmac(env.clientSecret), scope: NEST_FLOOR_SCOPE }]]);
  private readonly signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly jwks = { keys: [{ ...this.signingKey.publicKey.export({ format: 'jwk' }), kid: KEY_ID, alg: 'ES256', use: 'sig' }] };

  /** The client's scope when the secret is its own. */
  authenticate(clientId: string, clientSecret: string): { scope: string } | undefined {
    const client = this.clients.get(clientId);
    return client && sameBytes(this.hmac(clientSecret), client.secretHmac) ? client : undefined;
  }

  /** An RFC 9068 JWT access token, signed ES256 on the event loop. */
  issue(clientId: string, scope: string): TokenResponse {
    const iat = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', typ: 'at+jwt', kid: KEY_ID };
    const claims = {
      iss: env.issuer,
      sub: clientId,
      aud: NEST_FLOOR_AUDIENCE,
      client_id: clientId,
      scope,
      jti: randomUUID(),
      iat,
      exp: iat + NEST_FLOOR_TOKEN_SECONDS,
    };
    const input = `${base64url(header)}.${base64url(claims)}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.signingKey.privateKey, dsaEncoding: 'ieee-p1363' });
    return {
      access_token: `${input}.${signature.toString('base64url')}`,
      token_type: 'Bearer',
      expires_in: NEST_FLOOR_TOKEN_SECONDS,
      scope,
    };
  }

  private hmac(secret: string): Buffer {
    return createHmac('sha256', this.hmacKey).update(secret).digest();
  }
}

@Injectable()
class MembersService {
  private readonly members = new Map<string, typeof NEST_FLOOR_MEMBER>([[NEST_FLOOR_MEMBER.id, NEST_FLOOR_MEMBER]]);

  find(id: string): typeof NEST_FLOOR_MEMBER | undefined {
    return this.members.get(id);
  }
}

@Injectable()
class BearerGuard implements CanActivate {
  private readonly expected = Buffer.from(`Bearer ${env.bearer}`);

  canActivate(context: ExecutionContext): boolean {
    const authorization = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (authorization !== undefined && sameBytes(Buffer.from(authorization), this.expected)) return true;
    throw new UnauthorizedException();
  }
}

@Controller()
class TokenController {
  constructor(private readonly tokens: TokenService) {}

  // No form parser to register: Nest's Fastify adapter parses urlencoded bodies by default (bodyParser is on).
  @Post('oauth/token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  token(@Headers('authorization') authorization: string | undefined, @Body() body: Record<string, string> | undefined): TokenResponse {
    const credentials = basicCredentials(authorization);
    const client = credentials && this.tokens.authenticate(credentials.clientId, credentials.clientSecret);
    if (!credentials || !client) throw new UnauthorizedException({ error: 'invalid_client' });
    if (body?.grant_type !== 'client_credentials') throw new BadRequestException({ error: 'unsupported_grant_type' });
    return this.tokens.issue(credentials.clientId, client.scope);
  }

  @Get('jwks')
  jwks(): TokenService['jwks'] {
    return this.tokens.jwks;
  }
}

@Controller('api/v1/members')
@UseGuards(BearerGuard)
class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get(':id')
  get(@Param('id') id: string): typeof NEST_FLOOR_MEMBER {
    const member = this.members.find(id);
    if (!member) throw new NotFoundException();
    return member;
  }
}

@Module({ controllers: [TokenController, MembersController], providers: [TokenService, MembersService, BearerGuard] })
class NestFloorModule {}

/**
 * RFC 6749 section 2.3.1: "the client identifier is encoded using the
 * application/x-www-form-urlencoded encoding algorithm [...] and the encoded
 * value is used as the username; the client password is encoded using the
 * same algorithm and used as the password" of HTTP Basic.
 */
function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (!authorization?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(authorization.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined; // Malformed percent-encoding.
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function bootstrap(): Promise<void> {
  // Production settings: Nest logs errors only, Fastify's request logging is off (its default).
  const app = await NestFactory.create<NestFastifyApplication>(NestFloorModule, new FastifyAdapter(), { logger: ['error'] });
  await app.listen(Number(required('PORT')), process.env.HOST ?? '127.0.0.1');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

// A failed start rejects unhandled: Node prints it and exits with status 1.
void bootstrap();
