import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import { AppConfig, Role } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { AuthFailedError } from './principal';

export interface AccessClaims {
  sub: string;
  typ: 'access';
  role: Role;
  fam: string;
  /** The user's token generation when signed (absent in tokens signed before it existed: 0). */
  gen?: number;
  /** Makes every access token unique, also two of one login signed in the same second. */
  jti: string;
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
  /**
   * A KeyObject made once: given a string, jsonwebtoken first tries (and
   * fails) to parse it as a public key on every call, which dominated the
   * CPU of a reconnect storm.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.auth.jwtSecret));
  }

  signAccess(userId: string, role: Role, familyId: string, generation: number): { token: string; expiresIn: number } {
    const iat = Math.floor(this.clock.now() / 1000);
    const expiresIn = this.config.auth.accessTtlSeconds;
    const token = this.jwt.sign({ sub: userId, typ: 'access', role, fam: familyId, gen: generation, jti: randomUUID(), iat }, { secret: this.key as never, expiresIn, algorithm: 'HS256' });
    return { token, expiresIn };
  }

  signDevice(deviceId: string): string {
    const iat = Math.floor(this.clock.now() / 1000);
    return this.jwt.sign({ sub: deviceId, typ: 'device', jti: randomUUID(), iat }, { secret: this.key as never, algorithm: 'HS256' });
  }

  verify(token: string): AccessClaims | DeviceClaims {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw new AuthFailedError('malformed');
    let claims: AccessClaims | DeviceClaims;
    try {
      claims = this.jwt.verify(token, { secret: this.key as never, algorithms: ['HS256'], clockTimestamp: Math.floor(this.clock.now() / 1000) });
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TokenExpiredError') throw new AuthFailedError('expired');
      if ((err as Error)?.message === 'jwt malformed') throw new AuthFailedError('malformed');
      throw new AuthFailedError('invalid');
    }
    if (typeof claims.sub !== 'string' || (claims.typ !== 'access' && claims.typ !== 'device')) throw new AuthFailedError('invalid');
    // An access token lives JWT_ACCESS_TTL at most; one without an expiry would live forever.
    if (claims.typ === 'access' && (typeof claims.exp !== 'number' || typeof claims.iat !== 'number')) throw new AuthFailedError('invalid');
    return claims;
  }
}
