import { configSection } from '../config/config-section';

/** Every knob of the counter queue (docs/protocols/queue.md); imported by queue.module.ts so it is declared before the config loads. */
export class QueueConfig extends configSection({
  QUEUE_AUTH_TIMEOUT_MS: { kind: 'int', default: '10000', min: 1, doc: 'Queue sockets without a token must send AUTH within this time or are closed with 4408.' },
  QUEUE_TIMEZONE: { kind: 'timezone', default: 'Asia/Ho_Chi_Minh', doc: 'Local time zone of the office: ticket numbers restart at its midnight.' },
  QUEUE_STATS_INTERVAL_MS: { kind: 'int', default: '30000', min: 100, doc: 'How often STATS_UPDATE is sent to admin clients.' },
  QUEUE_STATS_DEBOUNCE_MS: { kind: 'int', default: '1000', min: 0, doc: 'After a change, STATS_UPDATE follows within this time (changes in between share one update).' },
  QUEUE_COUNTER_OFFLINE_MS: { kind: 'int', default: '300000', min: 1000, doc: 'An active counter without an officer socket for this long raises a counter_offline alert.' },
  QUEUE_HIGH_THRESHOLD: { kind: 'int', default: '20', min: 1, doc: 'Waiting tickets at one counter that raise a high_queue alert.' },
  QUEUE_MAX_WAIT_MINUTES: { kind: 'int', default: '30', min: 1, doc: 'A ticket waiting longer than this raises a max_wait alert for its counter.' },
  QUEUE_COUNTER_IDLE_MINUTES: { kind: 'int', default: '10', min: 1, doc: 'An active counter with waiting tickets that calls nobody for this long raises a counter_idle alert.' },
  QUEUE_ANNOUNCEMENT_TEMPLATE: {
    kind: 'string',
    default: 'Mời khách hàng số {number} đến quầy {counter_name}',
    doc: 'Text of TICKET_ANNOUNCEMENT; {number}, {counter_name} and {counter_id} are replaced.',
  },
  QUEUE_DISPLAY_DURATION: { kind: 'int', default: '10', min: 1, doc: 'Seconds a TV shows a called ticket (display_duration) and the default ANNOUNCEMENT duration.' },
  QUEUE_SPEECH_ZERO_TENS: {
    kind: 'enum',
    default: 'lẻ',
    values: ['lẻ', 'linh'],
    doc: 'How spoken numbers read a zero tens digit: lẻ ("một trăm lẻ năm") or linh ("một trăm linh năm").',
  },
  QUEUE_TTS_ENGINE: { kind: 'enum', default: 'auto', values: ['auto', 'espeak', 'none'], doc: 'Speech engine for audio_url: auto (espeak-ng when installed), espeak, or none (audio_url is null).' },
  QUEUE_TTS_VOICE: { kind: 'string', default: 'vi', doc: 'Voice of the speech engine (espeak-ng -v).' },
  QUEUE_TTS_TIMEOUT_MS: { kind: 'int', default: '10000', min: 100, doc: 'Longest one synthesis may take before it counts as failed.' },
  QUEUE_NEXT_NUMBERS: { kind: 'int', default: '3', min: 0, doc: 'How many upcoming numbers QUEUE_UPDATE.next_numbers lists.' },
  QUEUE_TARGET_WAIT_MINUTES: { kind: 'int', default: '15', min: 1, doc: 'Wait target of the reports (share of tickets called within it).' },
  QUEUE_RECENT_CALLS: { kind: 'int', default: '5', min: 0, doc: 'How many of today\'s latest calls a TV or admin gets in CONNECTION_ACK.recent_calls (a hall display\'s "recent" column).' },
  QUEUE_DISPLAY_STATE_MAX_AGE_MS: {
    kind: 'int',
    default: '60000',
    min: 1000,
    doc: "What a registering client is shown comes from memory kept current by the queue's events; after this long it is read again once, in the background, for changes no event announces (a procedure's service time).",
  },
  QUEUE_DEFAULT_SERVICE_MINUTES: { kind: 'int', default: '5', min: 1, doc: 'Service time assumed for estimates when a counter has neither measurements nor procedures.' },
  QUEUE_DISPLAY_DIGITS: { kind: 'int', default: '3', min: 1, doc: 'Digits of a prefixed display number (A012): the number is padded with zeros to this width.' },
  QUEUE_PRIORITY_CLASSES: {
    kind: 'list',
    default: 'elderly,disabled,pregnant,appointment:3',
    doc: 'Priority classes a kiosk may choose: name (ahead of normal tickets) or name:K (one after every K normal tickets a counter calls).',
  },
  QUEUE_PRIORITY_MAX_RUN: { kind: 'int', default: '3', min: 1, doc: 'Priority tickets a counter calls in a row before a waiting normal ticket goes (so normal tickets never starve).' },
  QUEUE_NO_SHOW_MINUTES: { kind: 'int', default: '3', min: 0, doc: 'Minutes after its call before a ticket not being served may be marked no-show.' },
  QUEUE_NO_SHOW_RECALLS: { kind: 'int', default: '2', min: 0, doc: 'Times a no-show ticket may be called again; the next no-show expires it.' },
  QUEUE_POSTPONE_PLACES: { kind: 'int', default: '3', min: 1, doc: 'Places a postponed ticket goes back in its line unless the request says otherwise.' },
  QUEUE_TEXT_MAX_LENGTH: { kind: 'int', default: '500', min: 10, doc: 'Longest reason or announcement message kept (longer text is cut).' },
}) {}
