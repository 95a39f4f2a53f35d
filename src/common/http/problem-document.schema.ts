import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/**
 * The OpenAPI shape of what ProblemDetailsFilter sends. Documentation only: the
 * filter builds the ProblemDocument interface of problem.ts, which this mirrors.
 */
@ApiSchema({ name: 'ProblemFieldError', description: 'One invalid field of the request.' })
export class ProblemFieldErrorSchema {
  @ApiProperty({ description: 'The field, dotted for nested ones.', example: 'name' })
  field!: string;

  @ApiProperty({ example: 'name must not be empty' })
  message!: string;
}

@ApiSchema({
  name: 'ProblemDocument',
  description: 'RFC 9457 problem details, served as application/problem+json. Other members may appear (RFC 9457 section 3.2).',
})
export class ProblemDocumentSchema {
  @ApiProperty({
    description: 'A URN naming the kind of problem; stable, for programs to branch on.',
    example: 'urn:orgsync:problem:validation_failed',
  })
  type!: string;

  @ApiProperty({ description: 'The HTTP status phrase.', example: 'Bad Request' })
  title!: string;

  @ApiProperty({ minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiPropertyOptional({ description: 'What went wrong, for a person.', example: 'The request is invalid.' })
  detail?: string;

  @ApiProperty({ description: 'The request path.', example: '/admin/organizations' })
  instance!: string;

  @ApiProperty({
    description: 'The X-Request-Id of the request; quote it when reporting a problem.',
    example: '0b9f3a52-4e0c-4d1e-9a6b-0d4f0c1e2a3b',
  })
  request_id!: string;

  @ApiPropertyOptional({ type: () => [ProblemFieldErrorSchema], description: 'For validation problems: each invalid field.' })
  errors?: ProblemFieldErrorSchema[];
}
