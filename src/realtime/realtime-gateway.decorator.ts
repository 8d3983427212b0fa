import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseFilters, UseGuards, UsePipes, ValidationPipe } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import type { ValidationError } from 'class-validator';
import type { Audience } from '../auth/principal';
import { CoreErrorCode, RealtimeException } from './codec';
import { Connection, connectionOf } from './connection';
import type { RealtimeGatewayOptions } from './gateway-runtime';
import { RealtimeExceptionFilter } from './realtime-exception.filter';
import { WsRolesGuard } from './ws-roles.guard';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${prefix ? prefix + '.' : ''}${m}` : `${path}: ${m}`));
    return [...own, ...describe(e.children ?? [], path)];
  });
}

/** Validates `@MessageBody()` DTOs; a failure is the protocol's INVALID_MESSAGE frame. */
export const realtimeValidationPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidUnknownValues: false,
  exceptionFactory: (errors) => new RealtimeException(CoreErrorCode.INVALID_MESSAGE, `Invalid message: ${describe(errors).join('; ')}`),
});

/**
 * A Nest gateway served by the realtime core: its path (configurable with
 * WS_PATH_<NAME>), protocol codec, authentication mode and limits; its errors
 * become the protocol's error frames; its `@MessageBody()` DTOs are validated.
 */
export function RealtimeGateway(options: RealtimeGatewayOptions): ClassDecorator {
  return applyDecorators(WebSocketGateway(0, options as never), UseFilters(RealtimeExceptionFilter), UsePipes(realtimeValidationPipe));
}

/** The Switchboard connection of the socket that sent the message. */
export const Conn = createParamDecorator((_: unknown, ctx: ExecutionContext): Connection => connectionOf(ctx.switchToWs().getClient()));

export const WS_ROLES = 'switchboard:ws-roles';

/** Who may send this message: user roles and `device:<kind>`; others get FORBIDDEN. */
export function WsRoles(...roles: Audience[]) {
  return applyDecorators(SetMetadata(WS_ROLES, roles), UseGuards(WsRolesGuard));
}
