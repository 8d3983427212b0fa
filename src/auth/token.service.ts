import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AppConfig, Role } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { AuthFailedError } from './principal';

export interface AccessClaims {
  sub: string;
  typ: 'access';
  role: Role;
  fam: string;
  iat: number;
  exp: number;
}

export interface DeviceClaims {
  sub: string;
  typ: 'device';
  jti: string;
  iat: number;
}

/** Signs and verifies JWTs against the injected clock. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  signAccess(userId: string, role: Role, familyId: string): { token: string; expiresIn: number } {
    const iat = Math.floor(this.clock.now() / 1000);
    const expiresIn = this.config.auth.accessTtlSeconds;
    const token = this.jwt.sign({ sub: userId, typ: 'access', role, fam: familyId, iat }, { secret: this.config.auth.jwtSecret, expiresIn, algorithm: 'HS256' });
    return { token, expiresIn };
  }

  signDevice(deviceId: string): string {
    const iat = Math.floor(this.clock.now() / 1000);
    return this.jwt.sign({ sub: deviceId, typ: 'device', jti: randomUUID(), iat }, { secret: this.config.auth.jwtSecret, algorithm: 'HS256' });
  }

  verify(token: string): AccessClaims | DeviceClaims {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw new AuthFailedError('malformed');
    let claims: AccessClaims | DeviceClaims;
    try {
      claims = this.jwt.verify(token, { secret: this.config.auth.jwtSecret, algorithms: ['HS256'], clockTimestamp: Math.floor(this.clock.now() / 1000) });
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TokenExpiredError') throw new AuthFailedError('expired');
      if ((err as Error)?.message === 'jwt malformed') throw new AuthFailedError('malformed');
      throw new AuthFailedError('invalid');
    }
    if (typeof claims.sub !== 'string' || (claims.typ !== 'access' && claims.typ !== 'device')) throw new AuthFailedError('invalid');
    return claims;
  }
}
