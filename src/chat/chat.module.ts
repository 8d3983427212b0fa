import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { memoryStorage } from 'multer';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
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
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { MediaModule } from '../media/media.module';
import { ChatConfig } from './chat.config';
import './chat.events';

/** Chat (seed 003): conversations, messages, image uploads and /ws/chat. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, ConversationParticipant, Message]),
    NotificationsModule,
    MediaModule,
    // Multer stops reading an upload at the configured cap (413) instead of buffering it whole.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ storage: memoryStorage(), limits: { fileSize: ChatConfig.read(config).CHAT_MAX_UPLOAD_BYTES, files: 1 } }),
    }),
  ],
  controllers: [ConversationsController, MessagesController, ChatUploadsController],
  providers: [ConversationsService, MessagesService, ChatUploadsService, { provide: ChatPresence, useClass: ClusterChatPresence }, ChatGateway],
})
export class ChatModule {}
