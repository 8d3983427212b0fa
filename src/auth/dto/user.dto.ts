import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsBoolean, IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import type { Role } from '../../config/app-config';
import { ROLES } from '../principal';
import { User } from '../entities/user.entity';

export class CreateUserDto {
  @ApiProperty({ example: 'ana@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;

  /** @example "Ana Lima" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @IsIn(ROLES)
  role: Role;

  @Optional()
  @IsBoolean()
  disabled?: boolean;
}

export class UpdateUserDto extends PartialType(CreateUserDto, { skipNullProperties: false }) {}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  created_at: string;
  updated_at: string;

  static of(u: User): UserDto {
    return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, created_at: u.createdAt.toISOString(), updated_at: u.updatedAt.toISOString() };
  }
}
