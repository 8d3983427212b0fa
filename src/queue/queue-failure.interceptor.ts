import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { catchError, Observable, tap, throwError } from 'rxjs';
import { QueryFailedError } from 'typeorm';
import { AppError } from '../common/app-error';
import { QueueAlertsService } from './queue-alerts.service';
import { invalidQueueInput } from './queue-error';

/**
 * Around every queue route (the gateway runs its messages through
 * trackQueueAction, below): a failure that is not a refusal (a
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
      catchError((caught) => throwError(() => queueFailure(this.alerts, action, counterOf(ctx), caught))),
    );
  }
}

/**
 * The same around one queue message, without the interceptor's observable
 * chain (a reconnect storm runs thousands of registrations a second through
 * the gateway): the gateway's handlers run their work through this.
 */
export async function trackQueueAction<T>(alerts: QueueAlertsService, action: string, counterId: unknown, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    alerts.systemRecovered(action);
    return result;
  } catch (caught) {
    throw queueFailure(alerts, action, typeof counterId === 'number' && Number.isInteger(counterId) ? counterId : null, caught);
  }
}

/** What a failed queue action throws on: the client's mistake for a data exception; an alert for anything but a refusal. */
function queueFailure(alerts: QueueAlertsService, action: string, counterId: number | null, caught: unknown): unknown {
  const err = isDataException(caught) ? invalidQueueInput('A value is out of the range this server accepts') : caught;
  const refusal = err instanceof AppError || err instanceof HttpException || err instanceof WsException;
  if (!refusal) alerts.systemError(action, counterId, err);
  return err;
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
