import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { WindowCounter } from '../common/window-counter';
import { AppError, ErrorCode } from '../common/app-error';

/** Failed logins counted per address and per account; over either limit: 429. */
@Injectable()
export class LoginThrottle {
  private readonly byIp: WindowCounter;
  private readonly byAccount: WindowCounter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, clock: Clock) {
    const windowMs = config.auth.loginWindowSeconds * 1000;
    this.byIp = new WindowCounter(windowMs, () => clock.now());
    this.byAccount = new WindowCounter(windowMs, () => clock.now());
  }

  check(ip: string, email: string): void {
    const { loginAttemptsPerIp, loginAttemptsPerAccount } = this.config.auth;
    const account = email.toLowerCase();
    if (this.byIp.count(ip) >= loginAttemptsPerIp) throw this.limited(this.byIp.retryAfterMs(ip));
    if (this.byAccount.count(account) >= loginAttemptsPerAccount) throw this.limited(this.byAccount.retryAfterMs(account));
  }

  failed(ip: string, email: string): void {
    this.byIp.hit(ip);
    this.byAccount.hit(email.toLowerCase());
  }

  succeeded(email: string): void {
    this.byAccount.reset(email.toLowerCase());
  }

  private limited(retryAfterMs: number): AppError {
    return new AppError(ErrorCode.RATE_LIMITED, 'Too many failed login attempts; try again later', { retry_after_ms: retryAfterMs });
  }
}
