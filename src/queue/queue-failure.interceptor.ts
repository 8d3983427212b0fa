import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { catchError, Observable, tap, throwError } from 'rxjs';
import { AppError } from '../common/app-error';
import { QueueAlertsService } from './queue-alerts.service';

/**
 * Around every queue route and message: a failure that is not a refusal (a
 * bug, the database down) raises a `system_error` alert for the admins, which clears
 * when the same action next succeeds.
 */
@Injectable()
export class QueueFailureInterceptor implements NestInterceptor {
  constructor(private readonly alerts: QueueAlertsService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = `queue ${ctx.getHandler().name}`;
    return next.handle().pipe(
      tap(() => this.alerts.systemRecovered(action)),
      catchError((err) => {
        const refusal = err instanceof AppError || err instanceof HttpException || err instanceof WsException;
        if (!refusal) this.alerts.systemError(action, counterOf(ctx), err);
        return throwError(() => err);
      }),
    );
  }
}

function counterOf(ctx: ExecutionContext): number | null {
  const data = ctx.getType() === 'ws' ? ctx.switchToWs().getData() : ctx.switchToHttp().getRequest()?.body;
  const id = (data as { counter_id?: unknown } | undefined)?.counter_id;
  return typeof id === 'number' && Number.isInteger(id) ? id : null;
}
