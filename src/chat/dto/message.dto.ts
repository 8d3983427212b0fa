import { LimitQuery, PageLimit } from '../../common/pagination';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Max, MaxLength } from 'class-validator';
import { ChatMessageView } from '../chat.events';
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
}

/** The /ws/chat inbound frame `{conversation_id, content, type?}`; other fields are ignored. */
export class SendMessageFrameDto extends SendMessageDto {
  @IsString()
  @MaxLength(100)
  conversation_id: string;
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

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page: messages older than its last item' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  before?: string;
}

export class MessageDto implements ChatMessageView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) conversation_id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null only once the sender account was deleted' }) sender_id: string | null;
  @ApiProperty({ description: 'Empty once deleted' }) content: string;
  @ApiProperty({ enum: MESSAGE_TYPES }) message_type: MessageType;
  @ApiProperty({ example: '2024-03-13T15:30:45.123Z' }) created_at: string;
  @ApiProperty() is_edited: boolean;
  @ApiProperty() is_deleted: boolean;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto], description: 'Newest first' }) items: MessageDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for the next (older) page; null on the last page' }) next_cursor: string | null;
}
