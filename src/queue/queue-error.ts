import { AppError, ErrorCode } from '../common/app-error';

/** The error codes of the queue protocol's ERROR frame. */
export enum QueueErrorCode {
  AUTH_FAILED = 'AUTH_FAILED',
  INVALID_MESSAGE = 'INVALID_MESSAGE',
  COUNTER_NOT_FOUND = 'COUNTER_NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  QUEUE_EMPTY = 'QUEUE_EMPTY',
  COUNTER_PAUSED = 'COUNTER_PAUSED',
  TICKET_NOT_FOUND = 'TICKET_NOT_FOUND',
  RATE_LIMITED = 'RATE_LIMITED',
}

/**
 * A queue service failure: REST answers with the HTTP status of `code` and
 * `details.queue_error`; the gateway sends `queueCode` in its ERROR frame.
 */
export class QueueError extends AppError {
  constructor(
    readonly queueCode: QueueErrorCode,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message, { queue_error: queueCode });
  }
}

export const counterNotFound = () => new QueueError(QueueErrorCode.COUNTER_NOT_FOUND, ErrorCode.NOT_FOUND, 'Counter not found');
export const ticketNotFound = () => new QueueError(QueueErrorCode.TICKET_NOT_FOUND, ErrorCode.NOT_FOUND, 'Ticket not found');
export const queueEmpty = () => new QueueError(QueueErrorCode.QUEUE_EMPTY, ErrorCode.CONFLICT, 'No ticket is waiting at this counter');
export const counterPaused = (status: string) => new QueueError(QueueErrorCode.COUNTER_PAUSED, ErrorCode.CONFLICT, `The counter is ${status} and issues or calls no tickets`);
export const queueForbidden = (message: string) => new QueueError(QueueErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN, message);
export const invalidQueueInput = (message: string) => new QueueError(QueueErrorCode.INVALID_MESSAGE, ErrorCode.VALIDATION_FAILED, message);
export const ticketConflict = (message: string) => new QueueError(QueueErrorCode.INVALID_MESSAGE, ErrorCode.CONFLICT, message);
