import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal, ROLES } from '../auth/principal';
import { EditMessageDto, MessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';

/** Editing and deleting a message: its sender only (403 for anyone else). */
@ApiTags('chat')
@Controller('api/chat/messages')
@Authenticated({ roles: ROLES })
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Patch(':id')
  @ApiOkResponse({ type: MessageDto, description: 'is_edited becomes true; sent to every participant' })
  edit(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EditMessageDto): Promise<MessageDto> {
    return this.messages.edit(p.id, id, dto.content);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The sender, an admin of the conversation or a site admin. is_deleted becomes true and the content empty; sent to every participant' })
  remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.messages.remove({ id: p.id, role: p.kind === 'user' ? p.role : null }, id);
  }
}
