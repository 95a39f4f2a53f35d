import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateOrganizationDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'No control characters.', example: 'Acme Corp' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ default: false, description: "A platform organization's clients may hold the admin scope." })
  @IsOptional()
  @IsBoolean({ message: 'platform must be true or false' })
  platform?: boolean;
}
