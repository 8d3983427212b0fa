import { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/** Carries the request id of the HTTP request being served. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Removes token values from URLs and strings before they are logged. */
export function redact(text: string): string {
  return text
    .replace(/([?&](?:token|access_token|refresh_token)=)[^&\s"]*/gi, '$1[redacted]')
    .replace(/(Bearer\s+)[A-Za-z0-9\-_.~+/]+=*/gi, '$1[redacted]')
    .replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted-jwt]');
}

/** One JSON object per line on stdout; the request id is added when known. */
export class JsonLogger implements LoggerService {
  private min: number;
  constructor(
    level: LogLevel = 'info',
    private readonly out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  ) {
    this.min = LEVELS[level];
  }

  setLevel(level: LogLevel): void {
    this.min = LEVELS[level];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] < this.min) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
    // Nest passes the context (class name) as the last string argument.
    const args = [...rest];
    if (args.length && typeof args[args.length - 1] === 'string') entry.context = args.pop();
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (message && typeof message === 'object') {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    for (const a of args) {
      if (a instanceof Error) entry.err = { message: a.message, stack: a.stack };
      else if (typeof a === 'string' && a.includes('\n    at ')) entry.stack = a;
      else if (a !== undefined) entry.detail = a;
    }
    const ctx = requestContext.getStore();
    if (ctx) entry.request_id = ctx.requestId;
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({ time: entry.time, level, msg: String(entry.msg) });
    }
    this.out(redact(line));
  }
}
