import { configSection } from '../config/config-section';

export class AttendanceConfig extends configSection({
  ATTENDANCE_TIMEZONE: { kind: 'timezone', default: 'UTC', doc: 'Zone whose calendar day the attendance summary counts (first in, last out); set it to the building’s zone.' },
  ATTENDANCE_VISIT_HISTORY_LIMIT: { kind: 'int', default: '20', min: 0, doc: 'Latest visits embedded as visit_histories in client frames and responses (visit_count counts all).' },
  ATTENDANCE_MAX_PAGE_SIZE: { kind: 'int', default: '500', min: 1, doc: 'Largest `limit` of an attendance list request (clients, visits, records).' },
  ATTENDANCE_RECORD_COOLDOWN_MS: {
    kind: 'int',
    default: '60000',
    min: 0,
    doc: 'Sightings of one employee by one camera closer together than this fold into the first record (0: every sighting is a record).',
  },
  ATTENDANCE_IMAGE_URL_TTL_SECONDS: {
    kind: 'int',
    default: '3600',
    min: 60,
    doc: 'How long a signed face/photo URL (in frames and responses) stays valid; afterwards GET /api/attendance/images/sign?url=… gives a fresh one.',
  },
  ATTENDANCE_IMAGE_URL_SECRET: { kind: 'string', doc: 'HMAC key of signed image URLs, the same on every instance (unset: derived from JWT_SECRET).' },
  ATTENDANCE_VISIT_IMAGE_RETENTION_DAYS: { kind: 'int', default: '30', min: 0, doc: 'Captured faces of visits older than this are deleted by the daily retention job (0: kept while the visit is).' },
  ATTENDANCE_VISIT_RETENTION_DAYS: { kind: 'int', default: '365', min: 0, doc: 'Visits older than this are deleted (clients’ counts follow) by the daily retention job (0: kept).' },
  ATTENDANCE_RECORD_IMAGE_RETENTION_DAYS: { kind: 'int', default: '30', min: 0, doc: 'Photos of staff records older than this are deleted by the daily retention job (0: kept while the record is).' },
  ATTENDANCE_RECORD_RETENTION_DAYS: { kind: 'int', default: '365', min: 0, doc: 'Staff records older than this are deleted by the daily retention job (0: kept).' },
  ATTENDANCE_MIN_SCORE: {
    kind: 'int',
    default: '0',
    min: 0,
    doc: 'Staff records and recognitions whose match score (0–100) is below this are held in the review queue instead of counted (0: none are held).',
  },
  ATTENDANCE_REVIEW_UNKNOWN_FACES: {
    kind: 'bool',
    default: 'false',
    doc: 'true: a face matched to no client waits in the review queue instead of becoming a new client at once.',
  },
  ATTENDANCE_LATE_GRACE_MINUTES: {
    kind: 'int',
    default: '5',
    min: 0,
    doc: 'A first record later than a shift’s start by more than this is late; a last one earlier than its end by more is an early leave.',
  },
  ATTENDANCE_SHIFT_WINDOW_MINUTES: { kind: 'int', default: '240', min: 0, doc: 'Records this long before a shift’s start or after its end still count for that shift.' },
}) {}
