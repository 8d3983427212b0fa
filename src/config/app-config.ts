import type { JsonLimits } from '../common/json-limits';
import { CONFIG_SCHEMA, ConfigKey, VarSpec } from './config.schema';

export type Role = 'admin' | 'manager' | 'leader' | 'officer' | 'employee' | 'member';

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly http: {
    port: number;
    host: string;
    /** With PUBLIC_URL unset, set again once the server listens (see publicUrlFor). */
    publicUrl: string;
    publicUrlFromPort: boolean;
    trustProxy: boolean;
    bodyLimit: string;
    allowedOrigins: string[];
  };
  /** Shape limits of untrusted JSON (REST bodies, multipart fields, frames). */
  readonly json: JsonLimits;
  /** Limits every multipart route shares (see common/file-upload.ts). */
  readonly uploads: { maxFields: number; maxFieldBytes: number };
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly database: { url: string | null; dataDir: string };
  readonly mediaDir: string;
  readonly redisUrl: string | null;
  readonly auth: {
    /** Empty until resolveJwtSecret fills it in (unset outside production). */
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    adminEmail: string;
    adminPassword: string;
    scryptCost: number;
    loginAttemptsPerIp: number;
    loginAttemptsPerAccount: number;
    loginWindowSeconds: number;
  };
  readonly ws: {
    heartbeatMs: number;
    maxFrameBytes: number;
    messagesPerMinute: number;
    connectionsPerMinutePerIp: number;
    maxSocketsPerIp: number;
    maxJsonDepth: number;
    maxJsonArrayLength: number;
    maxBufferedBytes: number;
    perMessageDeflate: boolean;
    shutdownGraceMs: number;
    /** Gateway name → path, from every WS_PATH_<NAME> variable. */
    paths: Record<string, string>;
  };
  readonly cluster: { heartbeatMs: number; instanceTtlMs: number };
  /** Reliable delivery: the replay log's bounds (windowMs 0 = off). */
  readonly replay: { windowMs: number; maxFrames: number };
  /** Change queries: days of deletions (tombstones) kept; an older `since` is refused. */
  readonly changeFeed: { retentionDays: number };
  readonly shutdownTimeoutMs: number;
  /** The raw, validated environment, for modules that declare their own variables. */
  readonly vars: Readonly<Record<string, string>>;
}

/** Secrets that were printed in the repository's examples: never accepted. */
const PUBLISHED_SECRETS = ['dev-only-secret-change-me-0123456789'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Parsed = string | number | boolean | string[] | undefined;

function parseVar(name: string, spec: VarSpec, raw: string | undefined, problems: string[]): Parsed {
  const value = raw === undefined || raw === '' ? spec.default : raw;
  if (value === undefined || (value === '' && spec.kind !== 'list' && spec.kind !== 'string')) {
    if (spec.required) problems.push(`${name} is required: ${spec.doc}`);
    return undefined;
  }
  switch (spec.kind) {
    case 'string':
    case 'path':
      return value;
    case 'int': {
      if (!/^-?\d+$/.test(value.trim())) {
        problems.push(`${name} must be a whole number, got "${value}"`);
        return undefined;
      }
      const n = Number(value);
      if (spec.min !== undefined && n < spec.min) problems.push(`${name} must be at least ${spec.min}, got ${n}`);
      return n;
    }
    case 'bool': {
      const v = value.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      problems.push(`${name} must be true or false, got "${value}"`);
      return undefined;
    }
    case 'url':
      try {
        new URL(value);
        return value;
      } catch {
        problems.push(`${name} must be an absolute URL, got "${value}"`);
        return undefined;
      }
    case 'enum':
      if (!spec.values!.includes(value)) problems.push(`${name} must be one of ${spec.values!.join(', ')}, got "${value}"`);
      return value;
    case 'list':
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'timezone':
      if (!isValidTimezone(value)) problems.push(`${name} must be an IANA time zone such as Europe/Berlin, got "${value}"`);
      return value;
  }
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Extra variables a domain module declares; validated together with the core
 * ones so one start-up message names every bad variable.
 */
const extraSchemas: Record<string, VarSpec>[] = [];
/** Registers a domain's variables; domains use `configSection` (config-section.ts), which calls this. */
export function declareConfig(schema: Record<string, VarSpec>): void {
  extraSchemas.push(schema);
}
export function allConfigSpecs(): Record<string, VarSpec> {
  return Object.assign({}, CONFIG_SCHEMA, ...extraSchemas);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const specs = allConfigSpecs();
  const v: Record<string, Parsed> = {};
  const vars: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    v[name] = parseVar(name, spec, env[name], problems);
    const raw = env[name] ?? spec.default;
    if (raw !== undefined) vars[name] = raw;
  }
  const paths: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('WS_PATH_') || value === undefined) continue;
    vars[name] = value;
  }
  for (const [name, value] of Object.entries(vars)) {
    if (!name.startsWith('WS_PATH_')) continue;
    if (!value.startsWith('/') || /\s|\?|#/.test(value)) problems.push(`${name} must be a path starting with "/", got "${value}"`);
    paths[name.slice('WS_PATH_'.length).toLowerCase()] = value;
  }
  const get = <T extends Parsed>(k: ConfigKey) => v[k] as T;
  const secret = get<string | undefined>('JWT_SECRET') ?? '';
  if (secret && secret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (!secret && get<string>('NODE_ENV') === 'production') problems.push('JWT_SECRET is required in production (at least 32 random characters)');
  if (PUBLISHED_SECRETS.includes(secret)) problems.push('JWT_SECRET is a value once published in .env.example; anyone could sign tokens with it; choose your own');
  if ((get<string>('ADMIN_PASSWORD') ?? '').length < 8) problems.push('ADMIN_PASSWORD must be at least 8 characters');
  const cost = get<number>('PASSWORD_SCRYPT_COST');
  if (cost !== undefined && (cost & (cost - 1)) !== 0) problems.push(`PASSWORD_SCRYPT_COST must be a power of two, got ${cost}`);
  if (problems.length) throw new ConfigError(problems);

  return {
    env: get('NODE_ENV'),
    http: {
      port: get('PORT'),
      host: get('HOST'),
      publicUrl: get<string | undefined>('PUBLIC_URL')?.replace(/\/+$/, '') ?? publicUrlFor(get('HOST'), get('PORT')),
      publicUrlFromPort: !get<string | undefined>('PUBLIC_URL'),
      trustProxy: get('TRUST_PROXY'),
      bodyLimit: get('HTTP_BODY_LIMIT'),
      allowedOrigins: get('ALLOWED_ORIGINS'),
    },
    json: { maxDepth: get('JSON_MAX_DEPTH'), maxArrayLength: get('JSON_MAX_ARRAY_LENGTH') },
    uploads: { maxFields: get('UPLOAD_MAX_FIELDS'), maxFieldBytes: get('UPLOAD_MAX_FIELD_BYTES') },
    logLevel: get('LOG_LEVEL'),
    database: { url: get<string | undefined>('DATABASE_URL') ?? null, dataDir: get('DATA_DIR') },
    mediaDir: get('MEDIA_DIR'),
    redisUrl: get<string | undefined>('REDIS_URL') ?? null,
    auth: {
      jwtSecret: secret,
      accessTtlSeconds: get('JWT_ACCESS_TTL'),
      refreshTtlSeconds: get('JWT_REFRESH_TTL'),
      adminEmail: get('ADMIN_EMAIL'),
      adminPassword: get('ADMIN_PASSWORD'),
      scryptCost: get('PASSWORD_SCRYPT_COST'),
      loginAttemptsPerIp: get('LOGIN_ATTEMPTS_PER_IP'),
      loginAttemptsPerAccount: get('LOGIN_ATTEMPTS_PER_ACCOUNT'),
      loginWindowSeconds: get('LOGIN_WINDOW_SECONDS'),
    },
    ws: {
      heartbeatMs: get('WS_HEARTBEAT_MS'),
      maxFrameBytes: get('WS_MAX_FRAME_BYTES'),
      messagesPerMinute: get('WS_MESSAGES_PER_MINUTE'),
      connectionsPerMinutePerIp: get('WS_CONNECTIONS_PER_MINUTE_PER_IP'),
      maxSocketsPerIp: get('WS_MAX_SOCKETS_PER_IP'),
      maxJsonDepth: get('WS_MAX_JSON_DEPTH'),
      maxJsonArrayLength: get('WS_MAX_JSON_ARRAY_LENGTH'),
      maxBufferedBytes: get('WS_MAX_BUFFERED_BYTES'),
      perMessageDeflate: get('WS_PER_MESSAGE_DEFLATE'),
      shutdownGraceMs: get('WS_SHUTDOWN_GRACE_MS'),
      paths,
    },
    cluster: { heartbeatMs: get('CLUSTER_HEARTBEAT_MS'), instanceTtlMs: get('CLUSTER_INSTANCE_TTL_MS') },
    replay: { windowMs: get<number>('REPLAY_WINDOW_SECONDS') * 1000, maxFrames: get('REPLAY_MAX_FRAMES') },
    changeFeed: { retentionDays: get('CHANGE_FEED_RETENTION_DAYS') },
    shutdownTimeoutMs: get('SHUTDOWN_TIMEOUT_MS'),
    vars,
  };
}

/** The base URL clients use when PUBLIC_URL is unset: this host and the port it listens on. */
export function publicUrlFor(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || !host ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** A variable's typed value from its already validated raw text (see config-section.ts). */
export function parseValidVar(spec: VarSpec, raw: string | undefined): Parsed {
  const problems: string[] = [];
  const value = parseVar('', spec, raw, problems);
  if (problems.length) throw new ConfigError(problems);
  return value;
}
