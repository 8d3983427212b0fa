import { configSection } from '../config/config-section';

/** Imported by idempotency.module.ts so it is declared before the config loads. */
export class IdempotencyConfig extends configSection({
  IDEMPOTENCY_TTL_SECONDS: {
    kind: 'int',
    default: '86400',
    min: 60,
    doc: 'How long an Idempotency-Key, a chat client_message_id or a queue request_id is remembered: a retry within it returns the first result instead of acting again.',
  },
  IDEMPOTENCY_PENDING_SECONDS: {
    kind: 'int',
    default: '60',
    min: 1,
    doc: 'A request holding an Idempotency-Key that has not finished after this long is taken for lost (its instance died) and a retry may run it again; until then a retry gets 409.',
  },
}) {}
