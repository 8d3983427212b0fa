import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, ErrorCode } from '../common/app-error';
import { AuthService } from './auth.service';
import { AUTH_OPTIONS, AuthenticatedOptions } from './authenticated.decorator';
import { AuthFailedError, Principal, principalMatches } from './principal';

export function bearerFrom(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return m ? m[1].trim() : null;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const options = this.reflector.getAllAndOverride<AuthenticatedOptions>(AUTH_OPTIONS, [ctx.getHandler(), ctx.getClass()]) ?? {};
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    let token = bearerFrom(req.headers.authorization);
    if (!token && options.queryToken && typeof req.query.token === 'string') token = req.query.token;
    if (!token && options.optional) return true;
    let principal: Principal;
    try {
      principal = await this.auth.authenticate(token);
    } catch (err) {
      if (err instanceof AuthFailedError) throw new AppError(ErrorCode.UNAUTHENTICATED, err.message);
      throw err;
    }
    req.principal = principal;
    if (options.roles && !principalMatches(principal, options.roles)) {
      const allowed = options.roles.map((r) => (r === 'device:*' ? 'any device' : r.startsWith('device:') ? `a ${r.slice(7)} device` : r));
      throw new AppError(ErrorCode.FORBIDDEN, `Your role (${principal.kind === 'device' ? `${principal.deviceKind} device` : principal.role}) may not do this; allowed: ${allowed.join(', ')}`, {
        required_roles: [...options.roles],
      });
    }
    return true;
  }
}
