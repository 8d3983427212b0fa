import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { ChatPresence } from './chat-presence';
import { ChatUploadsController } from './chat-uploads.controller';
import { ChatUploadsService } from './chat-uploads.service';
import { ChatGateway } from './chat.gateway';
import { ClusterChatPresence } from './cluster-chat-presence';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { ConversationParticipant } from './entities/conversation-participant.entity';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { ChatLastSeen } from './entities/chat-last-seen.entity';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { MediaModule } from '../media/media.module';
import './chat.config';
import './chat.events';

/** Chat (seed 003): conversations, messages, image uploads and /ws/chat. */
@Module({
  imports: [TypeOrmModule.forFeature([Conversation, ConversationParticipant, Message, ChatLastSeen]), NotificationsModule, MediaModule],
  controllers: [ConversationsController, MessagesController, ChatUploadsController],
  providers: [ConversationsService, MessagesService, ChatUploadsService, { provide: ChatPresence, useClass: ClusterChatPresence }, ChatGateway],
})
export class ChatModule {}
