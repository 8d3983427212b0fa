import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { BatchLoader } from '../common/batch-loader';
import { Clock } from '../common/clock';
import { AppError, ErrorCode } from '../common/app-error';
import { Device } from './entities/device.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { User } from './entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { AuthFailedError, Principal } from './principal';
import { randomToken, sha256Hex } from './token-hash';
import { AccessClaims, TokenService } from './token.service';
import { Broadcaster } from '../realtime/broadcaster';
import './auth.events';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: { id: string; email: string; name: string; role: string };
}

const unauthenticated = (message = 'Invalid credentials') => new AppError(ErrorCode.UNAUTHENTICATED, message);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long a verified token's principal is reused without asking the database again. */
const PRINCIPAL_CACHE_MS = 5_000;
const PRINCIPAL_CACHE_SIZE = 10_000;
/**
 * A display's principal is kept longer, and renewed when its socket closes:
 * devices are never edited, only revoked, and a revocation (an event every
 * instance hears, the same one that closes the device's sockets) drops it at
 * once. So a hall of screens reconnecting after its access point restarts asks
 * the database nothing.
 */
const DEVICE_CACHE_MS = 60_000;
const DEVICE_CACHE_SIZE = 100_000;

interface CachedDevice {
  principal: Principal;
  until: number;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('AuthService');
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    private readonly tokens: TokenService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly broadcaster: Broadcaster,
  ) {
    broadcaster.on('realtime.principal_revoked', ({ kind, id }) => {
      this.forgetPrincipals();
      if (kind === 'device') for (const [token, cached] of this.devicePrincipals) if (cached.principal.id === id) this.devicePrincipals.delete(token);
    });
    broadcaster.on('auth.tokens_revoked', () => this.forgetPrincipals());
  }

  private readonly principals = new Map<string, { principal: Principal; until: number }>();
  /** Device principals by their token, as `principals` keeps users' (see DEVICE_CACHE_MS). */
  private readonly devicePrincipals = new Map<string, CachedDevice>();
  private readonly tokenOf = new WeakMap<Principal, string>();
  /** Device rows read in batches: a hall of displays reconnecting at once, each with its own token, costs a few queries, not one each. */
  private readonly deviceRows = new BatchLoader<string, Device>(async (ids) => new Map((await this.devices.find({ where: { id: In(ids) } })).map((d) => [d.id, d])));
  /** Bumped at every revocation: a lookup that started before one does not fill the cache with its stale answer. */
  private revocations = 0;

  private forgetPrincipals(): void {
    this.revocations++;
    this.principals.clear();
  }

  async login(email: string, password: string, ip: string): Promise<TokenPair> {
    const attempt = await this.throttle.begin(ip, email);
    const user = await this.users.findOne({ where: { email: email.toLowerCase() } });
    const ok = await this.hasher.verify(password, user?.passwordHash ?? null);
    if (!user || !ok || user.disabled) {
      await attempt.failed();
      throw unauthenticated();
    }
    await attempt.succeeded();
    return this.issue(user, randomUUID());
  }

  /** Single use: a spent token presented again revokes its whole family. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const row = await this.refreshTokens.findOne({ where: { tokenHash: sha256Hex(refreshToken) } });
    if (!row || row.revokedAt) throw unauthenticated('Refresh token is invalid');
    const now = this.clock.date();
    const claimed = await this.refreshTokens.update({ id: row.id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: now });
    if (!claimed.affected) {
      await this.revokeFamily(row.familyId);
      throw unauthenticated('Refresh token was already used; this login has been signed out');
    }
    if (row.expiresAt.getTime() <= now.getTime()) throw unauthenticated('Refresh token has expired');
    const user = await this.users.findOne({ where: { id: row.userId } });
    if (!user || user.disabled) throw unauthenticated('Refresh token is invalid');
    return this.issue(user, row.familyId);
  }

  async logout(refreshToken: string): Promise<void> {
    const row = await this.refreshTokens.findOne({ where: { tokenHash: sha256Hex(refreshToken) } });
    if (row) await this.revokeFamily(row.familyId);
  }

  /**
   * The one check behind every HTTP guard and every socket handshake: a valid
   * signature, not expired, and a principal that still exists and may sign in.
   * The database's answer is reused for a few seconds for a user, longer for
   * a device (DEVICE_CACHE_MS); any revocation or disabling clears it on every
   * instance.
   */
  async authenticate(token: string | null | undefined): Promise<Principal> {
    if (!token) throw new AuthFailedError('missing');
    const now = this.clock.now();
    if (this.devicePrincipals.size) {
      // The very token verified before (same bytes): no signature to check again; device tokens do not expire.
      const known = this.devicePrincipals.get(token);
      if (known && known.until > now) return known.principal;
    }
    const claims = this.tokens.verify(token);
    if (claims.typ === 'device') return this.device(token, claims.sub, now);
    const cached = this.principals.get(token);
    if (cached && cached.until > now) return cached.principal;
    const epoch = this.revocations;
    const principal = await this.lookup(claims);
    if (epoch !== this.revocations) return principal;
    if (this.principals.size >= PRINCIPAL_CACHE_SIZE) this.principals.delete(this.principals.keys().next().value!);
    this.principals.set(token, { principal, until: now + PRINCIPAL_CACHE_MS });
    return principal;
  }

  private async device(token: string, sub: string, now: number): Promise<Principal> {
    // Only a well-formed id joins a batch: one bad id must not fail everyone else's lookup.
    if (!UUID.test(sub)) throw new AuthFailedError('revoked');
    const id = sub.toLowerCase();
    const tokenHash = sha256Hex(token);
    const epoch = this.revocations;
    const device = await this.deviceRows.get(id);
    if (!device || device.revokedAt || device.tokenHash !== tokenHash) throw new AuthFailedError('revoked');
    const principal: Principal = { kind: 'device', id: device.id, role: 'device', name: device.name, deviceKind: device.kind, counterId: device.counterId, location: device.location, expiresAt: null };
    if (epoch !== this.revocations) return principal;
    if (this.devicePrincipals.size >= DEVICE_CACHE_SIZE) this.devicePrincipals.delete(this.devicePrincipals.keys().next().value!);
    this.devicePrincipals.set(token, { principal, until: now + DEVICE_CACHE_MS });
    this.tokenOf.set(principal, token);
    return principal;
  }

  /**
   * A device's socket closed: its principal was valid until now (a revocation
   * would have dropped the entry and closed the socket), so its next handshake
   * may rely on it for another DEVICE_CACHE_MS.
   */
  retain(principal: Principal): void {
    const token = principal.kind === 'device' ? this.tokenOf.get(principal) : undefined;
    const cached = token === undefined ? undefined : this.devicePrincipals.get(token);
    if (cached?.principal === principal) cached.until = this.clock.now() + DEVICE_CACHE_MS;
  }

  private async lookup(claims: AccessClaims): Promise<Principal> {
    const user = await this.users.findOne({ where: { id: claims.sub } });
    if (!user || user.disabled || (claims.gen ?? 0) !== user.tokenGeneration) throw new AuthFailedError('revoked');
    const family = await this.refreshTokens.findOne({ where: { familyId: claims.fam }, select: { id: true, revokedAt: true }, order: { createdAt: 'DESC' } });
    if (family?.revokedAt) throw new AuthFailedError('revoked');
    return { kind: 'user', id: user.id, role: user.role, name: user.name, email: user.email, expiresAt: claims.exp * 1000, familyId: claims.fam ?? null };
  }

  /**
   * Ends every session of a user, on every instance: access tokens signed
   * before (by generation), every refresh family, and the open sockets (4401).
   */
  async endSessions(userId: string, why: string): Promise<void> {
    await this.users.increment({ id: userId }, 'tokenGeneration', 1);
    await this.refreshTokens.update({ userId, revokedAt: IsNull() }, { revokedAt: this.clock.date() });
    this.logger.log({ msg: 'ended every session of a user', user_id: userId, why });
    this.broadcaster.publish('realtime.principal_revoked', { kind: 'user', id: userId });
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.refreshTokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: this.clock.date() });
    this.broadcaster.publish('auth.tokens_revoked', { family_id: familyId });
  }

  private async issue(user: User, familyId: string): Promise<TokenPair> {
    const refresh = randomToken();
    await this.refreshTokens.insert({
      userId: user.id,
      familyId,
      tokenHash: sha256Hex(refresh),
      expiresAt: new Date(this.clock.now() + this.config.auth.refreshTtlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
    });
    const access = this.tokens.signAccess(user.id, user.role, familyId, user.tokenGeneration);
    return {
      access_token: access.token,
      refresh_token: refresh,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
    };
  }
}
