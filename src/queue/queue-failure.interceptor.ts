import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { catchError, Observable, tap, throwError } from 'rxjs';
import { QueryFailedError } from 'typeorm';
import { AppError } from '../common/app-error';
import { QueueAlertsService } from './queue-alerts.service';
import { invalidQueueInput } from './queue-error';

/**
 * Around every queue route and message: a failure that is not a refusal (a
 * bug, the database down) raises a `system_error` alert for the admins, which
 * clears when the same action next succeeds. Input the database rejects as
 * out of its range (SQLSTATE class 22) is the client's mistake:
 * INVALID_MESSAGE / 400, never an alert, and the database's words are not
 * passed on.
 */
@Injectable()
export class QueueFailureInterceptor implements NestInterceptor {
  constructor(private readonly alerts: QueueAlertsService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = `queue ${ctx.getHandler().name}`;
    return next.handle().pipe(
      tap(() => this.alerts.systemRecovered(action)),
      catchError((caught) => {
        const err = isDataException(caught) ? invalidQueueInput('A value is out of the range this server accepts') : caught;
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

/** PostgreSQL's "data exception" class (22xxx): a value out of range or of the wrong form. */
function isDataException(err: unknown): boolean {
  const code = err instanceof QueryFailedError ? (err.driverError as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' && code.startsWith('22');
}
