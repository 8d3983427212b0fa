import { configSection } from '../config/config-section';

export class BellsConfig extends configSection({
  BELLS_TIMEZONE: { kind: 'timezone', default: 'UTC', doc: 'Time zone of bell schedules that name none (IANA, e.g. Europe/Berlin).' },
  BELLS_LATE_GRACE_MS: { kind: 'int', default: '300000', min: 0, doc: 'A bell whose second passed while no instance ran (restart) still rings this late; older ones are recorded as missed.' },
  BELLS_MAX_SOUND_BYTES: { kind: 'int', default: '10485760', min: 1024, doc: 'Largest sound upload.' },
}) {}
