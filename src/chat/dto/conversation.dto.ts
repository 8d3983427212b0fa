import { PageQuery, PageLimit } from '../../common/pagination';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Max, MaxLength } from 'class-validator';
import { CONVERSATION_TYPES, ConversationType } from '../entities/conversation.entity';
import { PARTICIPANT_ROLES, ParticipantRole } from '../entities/conversation-participant.entity';
import { MessageDto } from './message.dto';

export class CreateConversationDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The other people (the creator is always added). Two people and no title: a direct conversation (an existing one for the pair is returned with 200); otherwise a group, which needs a title.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  participant_ids: string[];

  @ApiPropertyOptional({ maxLength: 200, description: 'Makes it a group' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
}

export class AddParticipantsDto {
  @ApiProperty({ type: [String], format: 'uuid' })
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
  @ApiProperty() name: string;
  @ApiProperty({ enum: PARTICIPANT_ROLES, description: 'Group admins add and remove participants' }) role: ParticipantRole;
  @ApiProperty() joined_at: string;
}

export class ConversationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CONVERSATION_TYPES }) type: ConversationType;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) created_by: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty({ type: [ParticipantDto] }) participants: ParticipantDto[];
  @ApiProperty({ type: MessageDto, nullable: true }) last_message: MessageDto | null;
  @ApiProperty({ description: "Messages from others since the caller's last POST …/read (deleted ones not counted)" }) unread_count: number;
}

export class ReadReceiptDto {
  @ApiProperty({ format: 'uuid' }) conversation_id: string;
  @ApiProperty() last_read_at: string;
  @ApiProperty() unread_count: number;
}
