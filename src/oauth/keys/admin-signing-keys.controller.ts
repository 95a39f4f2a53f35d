import { Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { ApiProblemResponse } from '../../common/http/api-problem-responses.decorator.js';
import { SigningKeyListResponse, SigningKeyResponse, toSigningKeyResponse } from './dto/signing-key.response.js';
import { RETIRED_KEY_PUBLISH_SECONDS, SigningKeysService } from './signing-keys.service.js';

/**
 * The signing keys of access tokens, for platform admins: the same operations
 * as `orgsync keys list` and `orgsync keys rotate`, for operators who reach the
 * server but not its database. The admin scope is platform-only, so an
 * organization's own clients never get here.
 */
@Controller('admin/signing-keys')
@RequireScopes('admin')
@ApiTags('Admin: signing keys')
export class AdminSigningKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get()
  @ApiOperation({
    summary: 'List the signing keys',
    description: 'Newest first: the active key and the retired ones still kept. Never key material; the public keys are at /oauth/jwks.',
  })
  @ApiOkResponse({ type: SigningKeyListResponse })
  async list(): Promise<SigningKeyListResponse> {
    return { data: (await this.keys.listAll()).map(toSigningKeyResponse) };
  }

  @Post('rotate')
  @ApiOperation({
    summary: 'Rotate the signing key',
    description:
      'Makes a new key of the configured SIGNING_ALG the signing key; every replica signs with it within about a second. ' +
      `The previous key is retired but stays in /oauth/jwks, and tokens it signed stay valid, for ${RETIRED_KEY_PUBLISH_SECONDS} seconds: ` +
      'until every one of them has expired. Audited as signing_key.rotated.',
  })
  @ApiCreatedResponse({ type: SigningKeyResponse, description: 'The new signing key.' })
  @ApiProblemResponse(
    409,
    'Another process rotated the key at the same moment; its key stands. Rotate again if another key is still wanted.',
  )
  async rotate(): Promise<SigningKeyResponse> {
    return toSigningKeyResponse(await this.keys.rotate('api'));
  }
}
