import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Broadcaster } from '../realtime/broadcaster';
import { RealtimeService } from '../realtime/realtime.service';

/**
 * `/health/live`: the process answers. `/health` and `/health/ready`: the
 * database answers and the instance is not shutting down (503 otherwise).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly realtime: RealtimeService,
    private readonly broadcaster: Broadcaster,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @ApiOkResponse({ description: 'Ready: database reachable' })
  @ApiServiceUnavailableResponse({ description: 'Not ready' })
  health(@Res() res: Response): Promise<void> {
    return this.ready(res);
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Ready: database reachable' })
  @ApiServiceUnavailableResponse({ description: 'Not ready' })
  async ready(@Res() res: Response): Promise<void> {
    const started = Date.now();
    let database: 'up' | 'down' = 'up';
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000);
    } catch {
      database = 'down';
    }
    const broadcast = this.broadcaster.healthy() ? 'up' : 'degraded';
    const shuttingDown = this.realtime.shuttingDown;
    const ok = database === 'up' && !shuttingDown;
    res.status(ok ? 200 : 503).json({
      status: !ok ? 'unavailable' : broadcast === 'up' ? 'ok' : 'degraded',
      checks: { database, broadcast, shutting_down: shuttingDown },
      sockets: this.realtime.openSockets(),
      uptime_s: Math.round(process.uptime()),
      latency_ms: Date.now() - started,
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() => clearTimeout(t));
}
