import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';

/** Reads `.env` (if present) without overriding variables already set. */
export function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  const parsed = parse(readFileSync(path));
  for (const [k, v] of Object.entries(parsed)) if (process.env[k] === undefined) process.env[k] = v;
}
