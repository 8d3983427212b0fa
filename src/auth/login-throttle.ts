import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { AppError, ErrorCode } from '../common/app-error';
import { ClusterState } from '../realtime/cluster/cluster-state';

/** The first delay once an account has had LOGIN_ATTEMPTS_PER_ACCOUNT failures from anywhere; it doubles with each further one. */
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** A login attempt that holds its place in the counters until it knows whether the password was right. */
export interface LoginAttempt {
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

/**
 * The login throttle (policy in docs/auth.md). Counters live in Redis when
 * REDIS_URL is set (shared by every instance), in memory otherwise, and every
 * attempt takes its place in them atomically *before* the password is checked,
 * so parallel requests cannot slip past a limit:
 *
 * - per address: at most LOGIN_ATTEMPTS_PER_IP failed attempts per window;
 * - per address and account: at most LOGIN_ATTEMPTS_PER_ACCOUNT, after which
 *   that address gets 429 for that account — the account itself is never
 *   locked, its owner signs in from elsewhere;
 * - per account, from every address: past LOGIN_ATTEMPTS_PER_ACCOUNT failures
 *   each attempt waits a little longer (250 ms doubling, at most 5 s).
 *
 * A right password gives back the places it took and clears the failures.
 */
@Injectable()
export class LoginThrottle {
  private readonly windowMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly counters: ClusterState,
  ) {
    this.windowMs = config.auth.loginWindowSeconds * 1000;
  }

  async begin(ip: string, email: string): Promise<LoginAttempt> {
    const { loginAttemptsPerIp, loginAttemptsPerAccount } = this.config.auth;
    const account = email.toLowerCase();
    const keys = { ip: `login:ip:${ip}`, pair: `login:pair:${ip}|${account}`, account: `login:acct:${account}` };
    const byIp = await this.add(keys.ip, 1);
    if (byIp.count > loginAttemptsPerIp) {
      await this.add(keys.ip, -1);
      throw this.limited(byIp.resetInMs);
    }
    const byPair = await this.add(keys.pair, 1);
    if (byPair.count > loginAttemptsPerAccount) {
      await Promise.all([this.add(keys.ip, -1), this.add(keys.pair, -1)]);
      throw this.limited(byPair.resetInMs);
    }
    const failures = (await this.add(keys.account, 0)).count;
    if (failures >= loginAttemptsPerAccount) await sleep(Math.min(FIRST_DELAY_MS * 2 ** Math.min(failures - loginAttemptsPerAccount, 10), MAX_DELAY_MS));
    return {
      failed: async () => void (await this.add(keys.account, 1)),
      succeeded: async () => {
        await Promise.all([this.add(keys.ip, -1), this.counters.clearWindow(keys.pair), this.counters.clearWindow(keys.account)]);
      },
    };
  }

  private add(key: string, delta: number) {
    return this.counters.addToWindow(key, delta, this.windowMs, this.clock.now());
  }

  private limited(retryAfterMs: number): AppError {
    return new AppError(ErrorCode.RATE_LIMITED, 'Too many failed login attempts from this address; try again later', { retry_after_ms: Math.max(retryAfterMs, 1000) });
  }
}
