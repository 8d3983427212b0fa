import { ArgumentsHost, Catch, Injectable, WsExceptionFilter } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { CoreErrorCode, RealtimeException } from './codec';
import { connectionOf } from './connection';
import { RealtimeService } from './realtime.service';

/** Every error a gateway handler, guard or pipe throws becomes the protocol's error frame. */
@Catch()
@Injectable()
export class RealtimeExceptionFilter implements WsExceptionFilter {
  constructor(private readonly core: RealtimeService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const conn = connectionOf(host.switchToWs().getClient());
    if (exception instanceof WsException && !(exception instanceof RealtimeException)) {
      const message = String(exception.getError() ?? exception.message);
      const code = /forbidden/i.test(message) ? CoreErrorCode.FORBIDDEN : CoreErrorCode.INVALID_MESSAGE;
      this.core.reportError(conn, new RealtimeException(code, message));
      return;
    }
    this.core.reportError(conn, exception);
  }
}
