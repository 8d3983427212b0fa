import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** @example "change-me-now" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refresh_token: string;
}

export class TokenUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  email: string;
  name: string;
  role: string;
}

export class TokenPairDto {
  access_token: string;
  refresh_token: string;
  /** @example "Bearer" */
  token_type: 'Bearer';
  /** Seconds until the access token expires */
  expires_in: number;
  user: TokenUserDto;
}
