import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Audience, principalMatches } from '../auth/principal';
import { AppError, ErrorCode } from '../common/app-error';
import { connectionOf } from './connection';

@Injectable()
export class WsRolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const roles = this.reflector.get<Audience[]>('switchboard:ws-roles', ctx.getHandler()) ?? [];
    const conn = connectionOf(ctx.switchToWs().getClient());
    if (!conn.principal) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Authenticate first');
    if (roles.length && !principalMatches(conn.principal, roles)) throw new AppError(ErrorCode.FORBIDDEN, 'Your role may not send this message');
    return true;
  }
}
