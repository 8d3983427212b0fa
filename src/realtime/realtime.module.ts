import { Global, Module } from '@nestjs/common';
import { Broadcaster } from './broadcaster';
import { ConnectionRegistry } from './connections';
import { RealtimeExceptionFilter } from './realtime-exception.filter';
import { RealtimeService } from './realtime.service';
import { MemoryTransport } from './transports/memory.transport';
import { Transport } from './transports/transport';
import { WsRolesGuard } from './ws-roles.guard';

/** The shared realtime core every gateway module uses. */
@Global()
@Module({
  providers: [{ provide: Transport, useFactory: () => new MemoryTransport() }, Broadcaster, ConnectionRegistry, RealtimeService, RealtimeExceptionFilter, WsRolesGuard],
  exports: [Transport, Broadcaster, ConnectionRegistry, RealtimeService, RealtimeExceptionFilter, WsRolesGuard],
})
export class RealtimeModule {}
