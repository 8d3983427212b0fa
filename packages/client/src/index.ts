export { backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
export { Connector } from './connector';
export type { ConnectionState, ConnectorOptions, TokenSource, WebSocketFactory, WebSocketLike } from './connector';
export type { ClientError } from './errors';
export * from './gateways';
export { SwitchboardRest, RestError } from './rest';
export type { LoginResult } from './rest';
