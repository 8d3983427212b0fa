import { Logger, LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';

export const SECRET_FILE = 'jwt-secret';

/**
 * With JWT_SECRET unset (never in production) the server makes a random secret
 * on its first start and keeps it in DATA_DIR, readable by its owner only, so
 * tokens survive a restart and no secret printed anywhere can sign one. With
 * DATA_DIR=memory:// it lives as long as the process.
 */
export function resolveJwtSecret(config: AppConfig, logger: Pick<LoggerService, 'log' | 'warn'> = new Logger('Config')): AppConfig {
  if (config.auth.jwtSecret) return config;
  const dir = config.database.dataDir;
  let secret: string;
  if (dir.startsWith('memory://')) {
    secret = randomBytes(32).toString('hex');
    logger.warn('JWT_SECRET is unset and DATA_DIR is in memory: tokens are signed with a random secret that ends with this process');
  } else {
    const file = join(dir, SECRET_FILE);
    secret = readSecret(file) ?? createSecret(dir, file, logger);
  }
  return { ...config, auth: { ...config.auth, jwtSecret: secret } };
}

function readSecret(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (text.length < 32) throw new Error(`${file} holds no usable secret (fewer than 32 characters); delete it to make a new one`);
  // Tighten a copy that lost its mode (restored from a backup, say).
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return text;
}

function createSecret(dir: string, file: string, logger: Pick<LoggerService, 'log'>): string {
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    // 'wx': two instances starting at once on one directory do not overwrite each other's secret.
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readSecret(file)!;
    throw err;
  }
  logger.log(`JWT_SECRET is unset: made a random one and kept it in ${file}`);
  return secret;
}
