/**
 * Every environment variable Switchboard reads, in one table. The table is the
 * single source for parsing, validation, `.env.example` and the README's
 * configuration table (see `npm run config:doc`).
 */
export type VarKind = 'string' | 'int' | 'bool' | 'url' | 'enum' | 'list' | 'timezone' | 'path';

export interface VarSpec {
  readonly kind: VarKind;
  readonly default?: string;
  /** Written into `.env.example`; defaults to `default`. */
  readonly example?: string;
  readonly doc: string;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly required?: boolean;
  /** Shown in .env.example commented out (optional and unset by default). */
  readonly optional?: boolean;
}

export const CONFIG_SCHEMA = {
  NODE_ENV: { kind: 'enum', default: 'development', values: ['development', 'production', 'test'], doc: 'Run mode; production requires JWT_SECRET.' },
  PORT: { kind: 'int', default: '3000', min: 0, doc: 'HTTP port for REST and every WebSocket gateway (0 picks a free port).' },
  HOST: { kind: 'string', default: '0.0.0.0', doc: 'Address to listen on.' },
  PUBLIC_URL: {
    kind: 'url',
    optional: true,
    example: 'https://switchboard.example.com',
    doc: 'Absolute base URL clients use; media and audio URLs in frames are built from it. Unset: http://localhost:<the port the server listens on> (HOST instead of localhost when it is a specific address).',
  },
  LOG_LEVEL: { kind: 'enum', default: 'info', values: ['debug', 'info', 'warn', 'error'], doc: 'Lowest log level written (JSON lines on stdout).' },
  DATABASE_URL: { kind: 'url', optional: true, example: 'postgres://switchboard:switchboard@127.0.0.1:5432/switchboard', doc: 'PostgreSQL URL. Unset: embedded PGlite stored under DATA_DIR.' },
  DATA_DIR: { kind: 'path', default: './data', doc: 'Where the embedded PGlite database lives (kept across restarts). "memory://" keeps it in memory.' },
  MEDIA_DIR: { kind: 'path', default: './media', doc: 'Where uploaded sounds, images and synthesized audio are stored.' },
  REDIS_URL: { kind: 'url', optional: true, example: 'redis://127.0.0.1:6379', doc: 'Redis URL for cluster mode. Unset: one instance, in-memory broadcaster.' },
  JWT_SECRET: {
    kind: 'string',
    optional: true,
    example: '<at least 32 random characters: openssl rand -hex 32>',
    doc: 'HMAC secret for access and device tokens (at least 32 characters). Required in production; unset elsewhere, a random one is made on first start and kept in DATA_DIR/jwt-secret.',
  },
  JWT_ACCESS_TTL: { kind: 'int', default: '900', min: 1, doc: 'Access token lifetime in seconds.' },
  JWT_REFRESH_TTL: { kind: 'int', default: '2592000', min: 60, doc: 'Refresh token lifetime in seconds.' },
  ADMIN_EMAIL: { kind: 'string', default: 'admin@example.com', doc: 'Bootstrap admin, created when the database has no users.' },
  ADMIN_PASSWORD: { kind: 'string', default: 'change-me-now', doc: 'Password of the bootstrap admin (at least 8 characters).' },
  PASSWORD_SCRYPT_COST: { kind: 'int', default: '16384', min: 1024, doc: 'scrypt cost N for password hashes (a power of two).' },
  LOGIN_ATTEMPTS_PER_IP: { kind: 'int', default: '30', min: 1, doc: 'Failed logins allowed per address per LOGIN_WINDOW_SECONDS (all accounts) before 429.' },
  LOGIN_ATTEMPTS_PER_ACCOUNT: {
    kind: 'int',
    default: '10',
    min: 1,
    doc: 'Failed logins allowed per address for one account per LOGIN_WINDOW_SECONDS before that address gets 429 for it; past as many failures from anywhere, each attempt on the account is delayed (250 ms doubling, at most 5 s). The account is never locked.',
  },
  LOGIN_WINDOW_SECONDS: { kind: 'int', default: '900', min: 1, doc: 'Window of the login throttle.' },
  ALLOWED_ORIGINS: { kind: 'list', default: '', doc: 'Comma-separated origins allowed to open sockets (and call REST from browsers). Empty: any.' },
  TRUST_PROXY: { kind: 'bool', default: 'false', doc: 'Take the client address from X-Forwarded-For (behind a load balancer).' },
  JSON_MAX_DEPTH: { kind: 'int', default: '32', min: 2, doc: 'Deepest nesting of arrays and objects accepted in a REST JSON body or multipart fields; deeper: 400 (frames: WS_MAX_JSON_DEPTH).' },
  JSON_MAX_ARRAY_LENGTH: {
    kind: 'int',
    default: '10000',
    min: 1,
    doc: 'Most elements in one JSON array (or members in one object) of a REST body or multipart fields; more: 400 (frames: WS_MAX_JSON_ARRAY_LENGTH).',
  },
  UPLOAD_MAX_FIELDS: { kind: 'int', default: '30', min: 1, doc: 'Every multipart route: most non-file fields; more is refused with 400.' },
  UPLOAD_MAX_FIELD_BYTES: { kind: 'int', default: '16384', min: 64, doc: 'Every multipart route: longest non-file field in bytes; longer is refused with 413.' },
  HTTP_BODY_LIMIT: { kind: 'string', default: '1mb', doc: 'Largest JSON request body.' },
  WS_HEARTBEAT_MS: { kind: 'int', default: '30000', min: 10, doc: 'Protocol ping interval; a peer that misses one is terminated.' },
  WS_MAX_FRAME_BYTES: { kind: 'int', default: '65536', min: 64, doc: 'Largest inbound frame; larger closes with 1009.' },
  WS_MESSAGES_PER_MINUTE: { kind: 'int', default: '100', min: 1, doc: 'Inbound messages per connection per minute; over: RATE_LIMITED, twice over: 4429.' },
  WS_CONNECTIONS_PER_MINUTE_PER_IP: { kind: 'int', default: '600', min: 1, doc: 'New sockets per address per minute on each gateway (flood guard).' },
  WS_MAX_SOCKETS_PER_IP: {
    kind: 'int',
    default: '2000',
    min: 1,
    doc: 'Open sockets one address may hold at once, all gateways and instances together; over: TOO_MANY_CONNECTIONS, 4429. Leave room for a hall of displays behind one NAT address.',
  },
  WS_MAX_JSON_DEPTH: { kind: 'int', default: '32', min: 2, doc: 'Deepest nesting of objects and arrays an inbound frame may have; deeper: INVALID_MESSAGE, checked before validation.' },
  WS_MAX_JSON_ARRAY_LENGTH: { kind: 'int', default: '1000', min: 1, doc: 'Most items of any array in an inbound frame; more: INVALID_MESSAGE, checked before validation.' },
  WS_MAX_BUFFERED_BYTES: { kind: 'int', default: '4194304', min: 1024, doc: 'Unsent bytes a socket may hold before it is closed with 1013.' },
  WS_PER_MESSAGE_DEFLATE: { kind: 'bool', default: 'false', doc: 'Offer permessage-deflate compression (costs CPU per socket).' },
  WS_SHUTDOWN_GRACE_MS: { kind: 'int', default: '2000', min: 0, doc: 'How long shutdown waits for peers to answer the 1001 close.' },
  WS_PATH_BELLS: { kind: 'path', default: '/ws/bells', doc: 'Path of the bells gateway; see docs/protocols/.' },
  WS_PATH_SCHEDULES: { kind: 'path', default: '/ws/schedules', doc: 'Path of the schedules gateway; see docs/protocols/.' },
  WS_PATH_QUEUE: { kind: 'path', default: '/ws/queue', doc: 'Path of the queue gateway; see docs/protocols/.' },
  WS_PATH_CHAT: { kind: 'path', default: '/ws/chat', doc: 'Path of the chat gateway; see docs/protocols/.' },
  WS_PATH_DASHBOARD: { kind: 'path', default: '/ws/dashboard/:sessionId', doc: 'Path of the check-in dashboard gateway; see docs/protocols/.' },
  WS_PATH_ATTENDANCE: { kind: 'path', default: '/ws/attendance', doc: 'Path of the attendance gateway; see docs/protocols/.' },
  REPLAY_WINDOW_SECONDS: {
    kind: 'int',
    default: '120',
    min: 0,
    doc: 'Reliable delivery: how long each stream keeps its frames for clients that resume (0 turns the replay log off). See docs/recovery.md.',
  },
  REPLAY_MAX_FRAMES: { kind: 'int', default: '1000', min: 1, doc: 'Reliable delivery: the most frames a stream keeps, whatever their age.' },
  CHANGE_FEED_RETENTION_DAYS: {
    kind: 'int',
    default: '30',
    min: 1,
    doc: 'Change queries (since / changed_since): how many days deletions are remembered; each page says from when its deleted list is complete (deleted_since). See docs/rebuild.md.',
  },
  CLUSTER_HEARTBEAT_MS: { kind: 'int', default: '2000', min: 100, doc: 'Cluster mode: how often an instance refreshes its heartbeat in Redis.' },
  CLUSTER_INSTANCE_TTL_MS: { kind: 'int', default: '10000', min: 500, doc: 'Cluster mode: an instance silent this long is dead; its sockets leave presence and client lists.' },
  SHUTDOWN_TIMEOUT_MS: { kind: 'int', default: '10000', min: 0, doc: 'Longest a graceful shutdown may take before the process exits anyway.' },
} as const satisfies Record<string, VarSpec>;

export type ConfigKey = keyof typeof CONFIG_SCHEMA;
