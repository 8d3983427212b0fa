import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import type { Audience } from '../auth/principal';
import { Connection, connectionOf } from './connection';
import type { RealtimeGatewayOptions } from './gateway-runtime';
import { RealtimeExceptionFilter } from './realtime-exception.filter';
import { WsRolesGuard } from './ws-roles.guard';

/**
 * A Nest gateway served by the realtime core: its path (configurable with
 * WS_PATH_<NAME>), protocol codec, authentication mode and limits; its errors
 * become the protocol's error frames. `@MessageBody()` DTOs are validated by
 * the app's one validation pipe (a failure is INVALID_MESSAGE).
 */
export function RealtimeGateway(options: RealtimeGatewayOptions): ClassDecorator {
  return applyDecorators(WebSocketGateway(0, options as never), UseFilters(RealtimeExceptionFilter));
}

/** The Switchboard connection of the socket that sent the message. */
export const Conn = createParamDecorator((_: unknown, ctx: ExecutionContext): Connection => connectionOf(ctx.switchToWs().getClient()));

export const WS_ROLES = 'switchboard:ws-roles';

/**
 * Who may send this message: user roles and `device:<kind>`; others get
 * FORBIDDEN. With no roles: any authenticated principal (else UNAUTHENTICATED).
 */
export function WsRoles(...roles: Audience[]) {
  return applyDecorators(SetMetadata(WS_ROLES, roles), UseGuards(WsRolesGuard));
}
