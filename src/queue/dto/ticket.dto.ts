import { PageQuery, PageLimit } from '../../common/pagination';
import { Optional } from '../../common/optional';
import { IsCalendarDay } from '../../common/db-input';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { TICKET_STATUSES, TicketStatus } from '../entities/ticket.entity';

export const TRANSFER_PLACEMENTS = ['first', 'last', 'original'] as const;
export type TransferPlacement = (typeof TRANSFER_PLACEMENTS)[number];

/** A ticket at a counter (counter_id, the seed), or in a service's pooled line (service_id without counter_id). */
export class CreateTicketDto {
  /**
   * The counter whose line the ticket joins; leave it out with service_id for a pooled ticket
   * @example 1
   */
  @ValidateIf((o: CreateTicketDto) => o.service_id === undefined || o.counter_id !== undefined)
  @IsInt()
  @Min(1)
  counter_id?: number;

  /** The service (procedure id); alone, any open counter offering it calls the ticket */
  @Optional()
  @IsInt()
  @Min(1)
  service_id?: number;

  @ApiPropertyOptional({ description: 'One of the procedures the counter serves (by name)' })
  @Optional()
  @IsString()
  @MaxLength(200)
  procedure_name?: string;

  /** A configured priority class (QUEUE_PRIORITY_CLASSES), chosen at the kiosk */
  @Optional()
  @IsString()
  @MaxLength(40)
  priority_class?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Any id the caller makes up for this ticket (a UUID): sending again with it returns the original ticket instead of a second one' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  request_id?: string;
}

export class CallNextDto {
  @ApiPropertyOptional({ description: "Call this number of today's waiting (or no-show) tickets instead of the next" })
  @Optional()
  @IsInt()
  @Min(1)
  ticket_number?: number;

  /** Call this ticket as shown (A012) instead of the next */
  @Optional()
  @IsString()
  @MaxLength(16)
  display_number?: string;
}

export class TransferTicketDto {
  /** The counter the ticket moves to (or give service_id) */
  @Optional()
  @IsInt()
  @Min(1)
  counter_id?: number;

  /** The service whose pooled line the ticket joins (or give counter_id) */
  @Optional()
  @IsInt()
  @Min(1)
  service_id?: number;

  @ApiPropertyOptional({ enum: TRANSFER_PLACEMENTS, default: 'original', description: 'first or last in the new line, or by its original issue time' })
  @Optional()
  @IsIn(TRANSFER_PLACEMENTS)
  placement?: TransferPlacement;

  /** Shown with the ticket where it arrives */
  @Optional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class PostponeTicketDto {
  /** How many tickets go before it (default QUEUE_POSTPONE_PLACES) */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  places?: number;
}

export class ListTicketsQuery extends PageQuery {
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  counter_id?: number;

  @Optional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  /** Local date YYYY-MM-DD in QUEUE_TIMEZONE; default today */
  @Optional()
  @IsCalendarDay()
  day?: string;

  /** Service (procedure) id */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  service_id?: number;

  /** Ticket number */
  @Optional()
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
  /** As shown: the service prefix and the number (A012), or the number alone */
  display_number: string;
  /** Null while a pooled ticket waits for any counter offering its service */
  counter_id: number | null;
  service_id: number | null;
  procedure_name: string | null;
  /** Any open counter offering its service may call it */
  pooled: boolean;
  priority_class: string | null;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  /** Local date of issue */
  day: string;
  created_at: string;
  called_at: string | null;
  serving_at: string | null;
  finished_at: string | null;
  recall_count: number;
  /** Times it was called again after a no-show */
  no_show_recalls: number;
  /** Left by whoever transferred it here */
  note: string | null;
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
  display_number: string;
  service_id: number | null;
}

export class CalledTicketDto extends TicketDto {
  announcement: AnnouncementViewDto;
}
