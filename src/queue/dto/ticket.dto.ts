import { PageQuery, PageLimit } from '../../common/pagination';
import { IsCalendarDay } from '../../common/db-input';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { TICKET_STATUSES, TicketStatus } from '../entities/ticket.entity';

export class CreateTicketDto {
  /** @example 1 */
  @IsInt()
  @Min(1)
  counter_id: number;

  @ApiPropertyOptional({ description: 'One of the procedures the counter serves (by name)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  procedure_name?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Any id the caller makes up for this ticket (a UUID): sending again with it returns the original ticket instead of a second one' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  request_id?: string;
}

export class CallNextDto {
  @ApiPropertyOptional({ description: "Call this number of today's waiting (or skipped) tickets instead of the next" })
  @IsOptional()
  @IsInt()
  @Min(1)
  ticket_number?: number;
}

export class TransferTicketDto {
  /** The counter the ticket moves to; it keeps its number and its place by creation time */
  @IsInt()
  @Min(1)
  counter_id: number;
}

export class ListTicketsQuery extends PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  counter_id?: number;

  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  /** Local date YYYY-MM-DD in QUEUE_TIMEZONE; default today */
  @IsOptional()
  @IsCalendarDay()
  day?: string;

  /** Ticket number */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  number?: number;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @PageLimit(500)
  declare limit?: number;
}

export class TicketDto {
  id: number;
  @ApiProperty({ description: 'Same as id (the seed calls it ticket_id)' }) ticket_id: number;
  ticket_number: number;
  counter_id: number;
  procedure_name: string | null;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  /** Local date of issue */
  day: string;
  created_at: string;
  called_at: string | null;
  serving_at: string | null;
  finished_at: string | null;
  recall_count: number;
  transferred_to_counter_id: number | null;
  transferred_from_ticket_id: number | null;
}

export class CreatedTicketDto extends TicketDto {
  counter_name: string;
  /** Minutes */
  estimated_wait_time: number;
}

export class AnnouncementViewDto {
  ticket_number: number;
  counter_id: number;
  counter_name: string;
  announcement_text: string;
  @ApiProperty({ nullable: true, type: String, description: 'Absolute URL of the spoken text (WAV); null without a speech engine' }) audio_url: string | null;
  display_duration: number;
}

export class CalledTicketDto extends TicketDto {
  announcement: AnnouncementViewDto;
}
