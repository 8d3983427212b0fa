import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** `register {client_type, client_name?}` (seed 000). */
export class BellsRegisterDto {
  @IsString()
  @MaxLength(20)
  client_type: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_name?: string | null;

  /** The player's zone (building, wing, field); absent: it hears every bell. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  zone?: string | null;
}

/** `bell_ack {ring_id, status?}`: the player played (or failed to play) a bell it was sent. */
export class BellAckDto {
  @IsUUID()
  ring_id: string;

  @IsOptional()
  @IsIn(['played', 'failed'])
  status?: 'played' | 'failed';
}
