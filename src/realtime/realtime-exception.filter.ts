import { ArgumentsHost, Catch, Injectable, WsExceptionFilter } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { AppError, ErrorCode } from '../common/app-error';
import { connectionOf } from './connection';
import { RealtimeService } from './realtime.service';

/** Every error a gateway handler, guard or pipe throws becomes the protocol's error frame. */
@Catch()
@Injectable()
export class RealtimeExceptionFilter implements WsExceptionFilter {
  constructor(private readonly core: RealtimeService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const conn = connectionOf(host.switchToWs().getClient());
    // Nest throws WsException only when a guard returns false (our own guards throw AppError).
    if (exception instanceof WsException) return this.core.reportError(conn, new AppError(ErrorCode.FORBIDDEN, String(exception.message)));
    this.core.reportError(conn, exception);
  }
}
