import { PageQuery, PageLimit } from '../../common/pagination';
import { Optional } from '../../common/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { ConversationType } from '../entities/conversation.entity';
import type { ParticipantRole } from '../entities/conversation-participant.entity';
import { MessageDto } from './message.dto';

export class CreateConversationDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description:
      'The other people (the creator is always added). Two people and no title: a direct conversation (an existing one for the pair is returned with 200); otherwise a group, which needs a title.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  participant_ids: string[];

  /** Makes it a group */
  @Optional()
  @IsString()
  @MaxLength(200)
  title?: string;
}

export class AddParticipantsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  user_ids: string[];
}

export class ListConversationsQuery extends PageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @PageLimit(200)
  declare limit?: number;
}

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  name: string;
  /** Group admins add and remove participants */
  role: ParticipantRole;
  joined_at: string;
}

export class ConversationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  type: ConversationType;
  title: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) created_by: string | null;
  created_at: string;
  participants: ParticipantDto[];
  last_message: MessageDto | null;
  @ApiProperty({ description: "Messages from others after the caller's read position (deleted ones not counted)" }) unread_count: number;
  /** The last `change_seq` handed out in this conversation: a client that has it is up to date */
  last_seq: number;
  /** Set when archived: read-only from then on */
  archived_at: string | null;
}

export class ReadReceiptDto {
  @ApiProperty({ format: 'uuid' }) conversation_id: string;
  last_read_at: string;
  /** The `seq` of the newest message now read */
  last_read_seq: number;
  /** Messages from others after last_read_seq, not deleted */
  unread_count: number;
}

/** POST …/read: how far the caller has read. */
export class MarkReadDto {
  @ApiPropertyOptional({ minimum: 0, description: 'Read up to this message `seq` (a device marks only what it showed); omitted: everything there is' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  seq?: number;
}

export class PresenceDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  status: 'online' | 'offline';
  /** When their last chat socket closed; null while online or if never connected */
  last_seen: string | null;
}
