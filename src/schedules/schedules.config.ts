import { configSection } from '../config/config-section';

/**
 * The limits of seed 001 ("Rate Limiting" and "Security Considerations"), each
 * its own variable. The core enforces the first four through the gateway's
 * options; the subscription rate is counted by the gateway itself.
 */
export class SchedulesConfig extends configSection({
  SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP: { kind: 'int', default: '5', min: 1, doc: 'New /ws/schedules sockets per address per minute; over: connection_error TOO_MANY_CONNECTIONS, close 4429.' },
  SCHEDULES_MAX_CONNECTIONS_PER_USER: { kind: 'int', default: '3', min: 1, doc: 'Open /ws/schedules sockets one user may hold; over: connection_error TOO_MANY_CONNECTIONS, close 4429.' },
  SCHEDULES_MESSAGES_PER_MINUTE: { kind: 'int', default: '100', min: 1, doc: 'Inbound messages per /ws/schedules socket per minute; over: RATE_LIMITED, twice over: close 4429.' },
  SCHEDULES_SUBSCRIPTIONS_PER_MINUTE: { kind: 'int', default: '10', min: 1, doc: 'subscription/subscribe requests per /ws/schedules socket per minute; over: RATE_LIMITED.' },
  SCHEDULES_TIME_ZONE: {
    kind: 'timezone',
    default: 'UTC',
    doc: 'The site time zone (IANA, e.g. Europe/Berlin): shift times are wall-clock times there, so rest, hours and overlap use true lengths across DST changes.',
  },
  SCHEDULES_IDLE_TIMEOUT_MS: { kind: 'int', default: '300000', min: 1000, doc: 'Close a /ws/schedules socket (1000 "Idle timeout") after this long without a message or pong.' },
}) {}
