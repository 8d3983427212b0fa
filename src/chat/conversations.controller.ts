import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal, ROLES } from '../auth/principal';
import { ChatPresence } from './chat-presence';
import { ConversationsService } from './conversations.service';
import { AddParticipantsDto, ConversationDto, CreateConversationDto, ListConversationsQuery, MarkReadDto, PresenceDto, ReadReceiptDto } from './dto/conversation.dto';
import { HistoryQuery, MessageDto, MessagePageDto, SendMessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';
import { Idempotent } from '../common/idempotency.interceptor';

/** Conversations of the signed-in user (users only: devices do not chat). */
@ApiTags('chat')
@Controller('api/chat/conversations')
@Authenticated({ roles: ROLES })
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly presenceOf: ChatPresence,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: ConversationDto, description: 'A new conversation' })
  @ApiOkResponse({ type: ConversationDto, description: 'The direct conversation that already exists for this pair' })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateConversationDto, @Res({ passthrough: true }) res: Response): Promise<ConversationDto> {
    const { conversation, created } = await this.conversations.create(p.id, dto.participant_ids, dto.title);
    res.status(created ? 201 : 200);
    return conversation;
  }

  @Get()
  @ApiOkResponse({ type: [ConversationDto], description: 'Most recently active first, each with its last message and unread count' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListConversationsQuery): Promise<ConversationDto[]> {
    return this.conversations.list(p.id, q.limit ?? 50, q.offset ?? 0);
  }

  @Get(':id')
  @ApiOkResponse({ type: ConversationDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ConversationDto> {
    return this.conversations.get(p.id, id);
  }

  @Post(':id/participants')
  @HttpCode(200)
  @ApiOkResponse({ type: ConversationDto, description: 'Group admins only' })
  addParticipants(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AddParticipantsDto): Promise<ConversationDto> {
    return this.conversations.addParticipants(p.id, id, dto.user_ids);
  }

  @Delete(':id/participants/:userId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Group admins remove anyone; anyone may remove themselves (leave)' })
  removeParticipant(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.conversations.removeParticipant(p.id, id, userId);
  }

  @Get(':id/presence')
  @ApiOkResponse({ type: [PresenceDto], description: 'Each participant: online (a /ws/chat socket open anywhere) or offline with when they were last seen' })
  async presence(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PresenceDto[]> {
    const ids = await this.conversations.participantsOf(p.id, id);
    return this.presenceOf.describe(ids);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOkResponse({ type: ConversationDto, description: 'Read-only from now on. Group admins, either person of a direct conversation, or a site admin' })
  archive(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ConversationDto> {
    return this.conversations.archive({ id: p.id, role: p.kind === 'user' ? p.role : null }, id);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadReceiptDto, description: 'Marks the conversation read for the caller (and its new_message notification)' })
  read(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MarkReadDto): Promise<ReadReceiptDto> {
    return this.conversations.markRead(p.id, id, dto?.seq);
  }

  @Get(':id/messages')
  @ApiOkResponse({ type: MessagePageDto })
  history(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: HistoryQuery): Promise<MessagePageDto> {
    return this.messages.history(p.id, id, q);
  }

  @Post(':id/messages')
  @Idempotent()
  @ApiCreatedResponse({ type: MessageDto, description: 'Also sent to every open /ws/chat socket of every participant' })
  send(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SendMessageDto): Promise<MessageDto> {
    return this.messages.send(p.id, id, dto.content, dto.type, { clientMessageId: dto.client_message_id });
  }
}
