import { configSection } from '../config/config-section';

export class CheckinConfig extends configSection({
  CHECKIN_LIST_MAX_LIMIT: { kind: 'int', default: '500', min: 1, doc: 'Most check-in attempts one GET /api/event-sessions/:id/check-ins returns (`limit`).' },
}) {}
