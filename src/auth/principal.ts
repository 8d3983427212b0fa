import type { Role } from '../config/app-config';
import { AppError, ErrorCode } from '../common/app-error';
import { CloseCode } from '../realtime/codec';
import type { DeviceKind } from './entities/device.entity';

export const ROLES: readonly Role[] = ['admin', 'manager', 'leader', 'officer', 'employee', 'member'];

/** Who is calling: a signed-in user or a device, as verified from its token. */
export type Principal = UserPrincipal | DevicePrincipal;

export interface UserPrincipal {
  kind: 'user';
  id: string;
  role: Role;
  name: string;
  email: string;
  /** When the access token expires (epoch ms). */
  expiresAt: number | null;
  /** The login (refresh token family) the access token belongs to; logging out ends it. */
  familyId: string | null;
}

export interface DevicePrincipal {
  kind: 'device';
  id: string;
  role: 'device';
  name: string;
  deviceKind: DeviceKind;
  counterId: number | null;
  location: string | null;
  expiresAt: null;
}

/**
 * An access rule: user roles, and device kinds written `device:<kind>`
 * (`device:*` for any device).
 */
export type Audience = Role | `device:${DeviceKind}` | 'device:*';

export function principalMatches(p: Principal, allowed: readonly Audience[]): boolean {
  if (p.kind === 'user') return allowed.includes(p.role);
  return allowed.includes(`device:${p.deviceKind}`) || allowed.includes('device:*');
}

export type AuthFailure = 'missing' | 'malformed' | 'expired' | 'revoked' | 'invalid';

/** A token that cannot be used; on a socket it ends the connection (4401). */
export class AuthFailedError extends AppError {
  constructor(readonly reason: AuthFailure) {
    super(ErrorCode.UNAUTHENTICATED, AUTH_FAILURE_MESSAGES[reason], { reason }, CloseCode.UNAUTHENTICATED);
  }
}

export const AUTH_FAILURE_MESSAGES: Record<AuthFailure, string> = {
  missing: 'Authentication token is missing',
  malformed: 'Authentication token is malformed',
  expired: 'Authentication token has expired',
  revoked: 'Authentication token has been revoked',
  invalid: 'Authentication token is invalid',
};
