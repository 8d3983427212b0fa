import { declareConfig } from '../config/app-config';

declareConfig({
  ATTENDANCE_TIMEZONE: { kind: 'timezone', default: 'UTC', doc: 'Zone of the attendance daily summary (which day a record belongs to).' },
  ATTENDANCE_VISIT_HISTORY: { kind: 'int', default: '20', min: 0, doc: 'How many latest visits client frames embed as visit_histories.' },
});
