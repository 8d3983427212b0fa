import { LimitQuery, PageLimit } from '../../common/pagination';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ChatSyncedMessage } from '../chat.events';
import { MESSAGE_TYPES, MessageType } from '../entities/message.entity';

const CONTENT_DOC = 'Plain text (markup is stripped; at most CHAT_MAX_MESSAGE_LENGTH characters), or for `image` the url POST /api/chat/uploads returned';

/** POST /api/chat/conversations/:id/messages */
export class SendMessageDto {
  @ApiProperty({ description: CONTENT_DOC, example: 'Hello!' })
  @IsString()
  content: string;

  @ApiPropertyOptional({ enum: MESSAGE_TYPES, default: 'text' })
  @IsOptional()
  @IsIn(MESSAGE_TYPES)
  type?: MessageType;

  @ApiPropertyOptional({
    maxLength: 100,
    description:
      'Any id the sender makes up for this message (a UUID): sending again with it in the same conversation stores nothing new and returns the original message. Remembered IDEMPOTENCY_TTL_SECONDS',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  client_message_id?: string;
}

/** The /ws/chat inbound frame `{conversation_id, content, type?, client_message_id?}`; other fields are ignored. */
export class SendMessageFrameDto extends SendMessageDto {
  @IsString()
  @MaxLength(100)
  conversation_id: string;
}

/** `{event: "typing", conversation_id, typing}` on /ws/chat. */
export class TypingFrameDto {
  @IsString()
  @MaxLength(100)
  conversation_id: string;

  @IsBoolean()
  typing: boolean;
}

/** PATCH /api/chat/messages/:id */
export class EditMessageDto {
  @ApiProperty({ description: CONTENT_DOC })
  @IsString()
  content: string;
}

export class HistoryQuery extends LimitQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, description: 'At most CHAT_HISTORY_MAX_LIMIT (default 100)' })
  @PageLimit(10_000)
  declare limit?: number;

  /** The `next_cursor` of the previous page: messages older than its last item */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  before?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Sync: every message created, edited or deleted after this `change_seq`, oldest change first (not with `before`)' })
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;
}

export class MessageDto implements ChatSyncedMessage {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) conversation_id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null only once the sender account was deleted' }) sender_id: string | null;
  /** Empty once deleted */
  content: string;
  message_type: MessageType;
  /** @example "2024-03-13T15:30:45.123Z" */
  created_at: string;
  is_edited: boolean;
  is_deleted: boolean;
  /** Its number in the conversation: increasing in the order messages were sent */
  seq: number;
  @ApiProperty({ description: 'The conversation counter at its latest change (creation, edit, deletion); equals seq until it changes' }) change_seq: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who deleted it: the sender, a conversation admin or a site admin' }) deleted_by: string | null;
}

export class MessagePageDto {
  /** Newest first; with `after`, oldest change first */
  items: MessageDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for the next (older) page; null on the last page (and with `after`)' }) next_cursor: string | null;
  @ApiPropertyOptional({ description: 'With `after`: pass as `after` next time (the last change_seq returned, or `after` itself when nothing changed)' }) next_after?: number;
  /** With `after`: more changes wait beyond this page */
  has_more?: boolean;
}
