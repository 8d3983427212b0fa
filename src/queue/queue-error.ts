import { AppError, ErrorCode } from '../common/app-error';
import { queueErrorCode } from './queue.codec';

/**
 * A queue refusal. REST answers with the code's HTTP status and names the
 * queue protocol's own code in `details.queue_error`, the code the gateway
 * would send in its ERROR frame.
 */
const queueError = (code: ErrorCode, message: string) => new AppError(code, message, { queue_error: queueErrorCode(code) });

export const counterNotFound = () => queueError(ErrorCode.COUNTER_NOT_FOUND, 'Counter not found');
export const ticketNotFound = () => queueError(ErrorCode.TICKET_NOT_FOUND, 'Ticket not found');
export const queueEmpty = () => queueError(ErrorCode.QUEUE_EMPTY, 'No ticket is waiting at this counter');
export const counterPaused = (status: string) => queueError(ErrorCode.COUNTER_PAUSED, `The counter is ${status} and issues or calls no tickets`);
export const queueForbidden = (message: string) => queueError(ErrorCode.FORBIDDEN, message);
export const invalidQueueInput = (message: string) => queueError(ErrorCode.VALIDATION_FAILED, message);
export const ticketConflict = (message: string) => queueError(ErrorCode.CONFLICT, message);
