import { declareConfig } from '../config/app-config';

declareConfig({
  CHECKIN_LIST_MAX_LIMIT: { kind: 'int', default: '500', min: 1, doc: 'Most check-in attempts one GET /api/event-sessions/:id/check-ins returns (`limit`).' },
});
