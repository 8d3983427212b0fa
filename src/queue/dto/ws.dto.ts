import { Allow, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { COUNTER_STATUSES, CounterStatus } from '../entities/counter.entity';

/** Inbound frames of /ws/queue (payloads). Fields clients send beyond these are ignored. */
export class AuthMessageDto {
  /** Checked by the gateway, not here: a missing or malformed token is AUTH_FAILED (4401), not INVALID_MESSAGE. */
  @Allow()
  token?: unknown;

  /** A claim, compared with the token's principal; a number or a string. */
  @Allow()
  user_id?: unknown;

  @Allow()
  role?: unknown;

  @Allow()
  counter_id?: unknown;
}

export class RegisterClientDto {
  @IsString()
  @MaxLength(50)
  client_type: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  client_id: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;
}

export class TicketCreatedMessageDto {
  /** Left out with service_id: a pooled ticket. */
  @ValidateIf((o: TicketCreatedMessageDto) => o.service_id === undefined || o.counter_id !== undefined)
  @IsInt()
  @Min(1)
  counter_id?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  service_id?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  procedure_name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  priority_class?: string;
}

export class CallTicketMessageDto {
  @IsInt()
  @Min(1)
  counter_id: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  ticket_number?: number;

  @IsOptional()
  @IsString()
  @MaxLength(16)
  display_number?: string;
}

export class CounterStatusChangeMessageDto {
  @IsInt()
  @Min(1)
  counter_id: number;

  @IsIn(COUNTER_STATUSES)
  status: CounterStatus;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  reason?: string;
}

export class PingMessageDto {
  @Allow()
  timestamp?: unknown;
}
