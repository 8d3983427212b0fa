import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `register {client_type, client_name?}` (seed 000). */
export class BellsRegisterDto {
  @IsString()
  @MaxLength(20)
  client_type: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_name?: string | null;
}
