import { Global, Module } from '@nestjs/common';
import { Broadcaster } from './broadcaster';
import { ConnectionRegistry } from './connections';
import { RealtimeExceptionFilter } from './realtime-exception.filter';
import { RealtimeService } from './realtime.service';
import { MemoryTransport } from './transports/memory.transport';
import { Transport } from './transports/transport';
import { WsRolesGuard } from './ws-roles.guard';
import { RealtimeMetrics } from './realtime-metrics';

/** The shared realtime core every gateway module uses. */
@Global()
@Module({
  providers: [{ provide: Transport, useFactory: () => new MemoryTransport() }, Broadcaster, ConnectionRegistry, RealtimeService, RealtimeExceptionFilter, WsRolesGuard, RealtimeMetrics],
  exports: [Transport, Broadcaster, ConnectionRegistry, RealtimeService, RealtimeExceptionFilter, WsRolesGuard, RealtimeMetrics],
})
export class RealtimeModule {}
