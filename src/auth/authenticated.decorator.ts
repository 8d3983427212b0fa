import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiQuery, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthGuard } from './auth.guard';
import { Audience, Principal } from './principal';

export interface AuthenticatedOptions {
  /** Who may call: user roles and `device:<kind>`. Omitted: any principal. */
  roles?: readonly Audience[];
  /** Also accept the token as `?token=` (for URLs a player or <audio> fetches). */
  queryToken?: boolean;
  /**
   * No token is fine: the principal is then null and the handler decides
   * (a public session's check-in list). A token that is given must be valid.
   */
  optional?: boolean;
}

export const AUTH_OPTIONS = 'switchboard:auth-options';

/** The one decorator a protected route needs: 401 without a valid token, 403 for the wrong role. */
export function Authenticated(options: AuthenticatedOptions = {}) {
  const decorators = [SetMetadata(AUTH_OPTIONS, options), UseGuards(AuthGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked token' })];
  if (options.roles) decorators.push(ApiForbiddenResponse({ description: `Allowed: ${options.roles.join(', ')}` }));
  if (options.queryToken) decorators.push(ApiQuery({ name: 'token', required: false, description: 'Access or device token, when a header cannot be sent' }));
  return applyDecorators(...decorators);
}

/** The verified principal of the request (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/** The principal on an `optional` route: null when the caller sent no token. */
export const OptionalPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | null => {
  return ctx.switchToHttp().getRequest<{ principal?: Principal | null }>().principal ?? null;
});
