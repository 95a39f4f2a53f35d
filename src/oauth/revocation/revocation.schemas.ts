import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The OpenAPI shape of the revocation request (RFC 7009 section 2.1). Documentation only: the form is read strictly by hand. */
export class RevocationRequestForm {
  @ApiProperty({ description: 'The access token to revoke; it must have been issued to the calling client.' })
  token!: string;

  @ApiPropertyOptional({ description: 'RFC 7009 section 2.1; ignored: this server has access tokens only.', example: 'access_token' })
  token_type_hint?: string;

  @ApiPropertyOptional({ description: 'With client_secret_post only; client_secret_basic sends it in the Authorization header.' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'With client_secret_post only. Never both this and an Authorization header.' })
  client_secret?: string;
}
