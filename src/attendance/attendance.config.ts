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
}) {}
