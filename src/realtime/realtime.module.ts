import { Global, Module } from '@nestjs/common';
import { Broadcaster } from './broadcaster';
import { ConnectionRegistry } from './connections';
import { RealtimeExceptionFilter } from './realtime-exception.filter';
import { RealtimeService } from './realtime.service';
import { MemoryTransport } from './transports/memory.transport';
import { RedisTransport } from './transports/redis.transport';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Transport } from './transports/transport';
import { WsRolesGuard } from './ws-roles.guard';
import { RealtimeMetrics } from './realtime-metrics';
import { ClusterState, LocalClusterState } from './cluster/cluster-state';
import { RedisClusterState } from './cluster/redis-cluster-state';
import { MemoryReplayLog, ReplayLog } from './replay/replay-log';
import { RedisReplayLog } from './replay/redis-replay-log';
import { REPLAY_LOG } from './replay/replay-log.token';
import { InstancesController } from './instances.controller';

/** The shared realtime core every gateway module uses. */
@Global()
@Module({
  controllers: [InstancesController],
  providers: [
    RealtimeMetrics,
    {
      provide: Transport,
      inject: [APP_CONFIG, RealtimeMetrics],
      useFactory: async (config: AppConfig, metrics: RealtimeMetrics) => {
        if (!config.redisUrl) return new MemoryTransport();
        const transport = new RedisTransport(config.redisUrl, metrics);
        // Start serving even if Redis is down; health says degraded until it is back.
        await transport.ready(5000).catch(() => undefined);
        return transport;
      },
    },
    {
      provide: ClusterState,
      inject: [APP_CONFIG, RealtimeMetrics],
      useFactory: (config: AppConfig, metrics: RealtimeMetrics) =>
        config.redisUrl ? new RedisClusterState(config.redisUrl, metrics.instance, config.cluster.instanceTtlMs, config.cluster.heartbeatMs) : new LocalClusterState(),
    },
    {
      provide: REPLAY_LOG,
      inject: [APP_CONFIG, RealtimeMetrics],
      useFactory: (config: AppConfig, metrics: RealtimeMetrics): ReplayLog | null => {
        if (!config.replay.windowMs) return null;
        return config.redisUrl ? new RedisReplayLog(config.redisUrl, metrics.instance, config.replay) : new MemoryReplayLog(config.replay);
      },
    },
    Broadcaster,
    ConnectionRegistry,
    RealtimeService,
    RealtimeExceptionFilter,
    WsRolesGuard,
  ],
  exports: [Transport, ClusterState, Broadcaster, ConnectionRegistry, RealtimeService, RealtimeExceptionFilter, WsRolesGuard, RealtimeMetrics],
})
export class RealtimeModule {}
