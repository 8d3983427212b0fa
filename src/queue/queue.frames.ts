import { TSchema, Type } from '@sinclair/typebox';
import { AnyFrameOf, FrameOf, IsoTime, Nullable, outbound } from '../realtime/frames';

/** `{type, payload}` */
const frame = <T extends string, P extends TSchema>(type: T, payload: P) => Type.Object({ type: Type.Literal(type), payload });
const oneOf = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const CounterStatus = oneOf('active', 'paused', 'offline');
const ClientType = oneOf('kiosk', 'tv', 'officer', 'admin');

export const QUEUE_ERROR_CODES = ['AUTH_FAILED', 'INVALID_MESSAGE', 'COUNTER_NOT_FOUND', 'FORBIDDEN', 'QUEUE_EMPTY', 'COUNTER_PAUSED', 'TICKET_NOT_FOUND', 'RATE_LIMITED'] as const;

/** Server → client frames of /ws/queue. */
export const queueFrames = {
  CONNECTION_ACK: outbound(
    frame(
      'CONNECTION_ACK',
      Type.Object({
        client_id: Type.String(),
        server_time: IsoTime(),
        connected_clients: Type.Integer({ description: 'Registered queue clients across the cluster' }),
        recent_calls: Type.Optional(
          Type.Array(
            Type.Object({
              ticket_number: Type.Integer(),
              display_number: Type.String({ description: 'What the screen shows: the service prefix and the number (A012), or the number alone' }),
              counter_id: Type.Integer(),
              counter_name: Type.String(),
              called_at: IsoTime(),
            }),
            {
              description: 'TVs and admins only: the latest calls of the day, newest first (QUEUE_RECENT_CALLS), for a display\'s "recent" column',
            },
          ),
        ),
      }),
    ),
    'Registration accepted; the current QUEUE_UPDATE and COUNTER_STATUS_UPDATE of each counter the client shows follow at once.',
    'The registrant',
  ),
  QUEUE_UPDATE: outbound(
    frame(
      'QUEUE_UPDATE',
      Type.Object({
        counter_id: Type.Integer(),
        current_number: Nullable(Type.Integer({ description: 'Null until a ticket was called today' })),
        waiting_count: Type.Integer(),
        next_numbers: Type.Array(Type.Integer()),
        average_wait_time: Type.Number({ description: 'Minutes' }),
        current_display_number: Nullable(Type.String({ description: 'current_number as shown (A012)' })),
        next_display_numbers: Type.Array(Type.String(), { description: 'next_numbers as shown; the line includes pooled tickets of the services the counter offers' }),
      }),
    ),
    'The state of one counter’s line.',
    'Every registered client, after any change; in the welcome snapshot (an officer’s holds only its own counter)',
  ),
  COUNTER_STATUS_UPDATE: outbound(
    frame(
      'COUNTER_STATUS_UPDATE',
      Type.Object({
        counter_id: Type.Integer(),
        counter_name: Type.String(),
        status: CounterStatus,
        reason: Nullable(Type.String()),
        changed_by: Nullable(Type.String({ description: 'User id of who changed it' })),
        timestamp: IsoTime(),
        affected_tickets: Type.Integer({ description: 'Tickets waiting at the counter' }),
        removed: Type.Optional(Type.Boolean({ description: 'Present and true when the counter was deleted' })),
      }),
    ),
    'A counter was opened, paused, taken offline (or deleted).',
    'Every registered client, after a change and in the welcome snapshot',
  ),
  TICKET_CREATED: outbound(
    frame(
      'TICKET_CREATED',
      Type.Object({
        ticket_id: Type.Integer(),
        ticket_number: Type.Integer({ description: 'Per counter (per service for a service with a prefix or a pooled ticket), restarting each day' }),
        counter_id: Nullable(Type.Integer({ description: 'Null for a pooled ticket: any open counter offering service_id calls it' })),
        counter_name: Type.String({ description: 'For a pooled ticket, the open counters offering its service' }),
        procedure_name: Nullable(Type.String()),
        created_at: IsoTime(),
        estimated_wait_time: Type.Number({ description: 'Minutes' }),
        display_number: Type.String({ description: 'What the visitor holds: the service prefix and the number (A012), or the number alone' }),
        service_id: Nullable(Type.Integer({ description: 'The service (procedure) id' })),
        priority_class: Nullable(Type.String({ description: 'The priority class chosen at the kiosk (QUEUE_PRIORITY_CLASSES), null for a normal ticket' })),
      }),
    ),
    'A ticket was issued (print it at the kiosk).',
    'The socket that asked for it, TVs and admins',
  ),
  TICKET_ANNOUNCEMENT: outbound(
    frame(
      'TICKET_ANNOUNCEMENT',
      Type.Object({
        ticket_number: Type.Integer(),
        counter_id: Type.Integer(),
        counter_name: Type.String(),
        announcement_text: Type.String(),
        audio_url: Nullable(Type.String({ description: 'Path on this server of the spoken text (public); null when no speech engine is installed' })),
        display_duration: Type.Integer({ description: 'Seconds' }),
        display_number: Type.String({ description: 'The ticket as shown (A012)' }),
        service_id: Nullable(Type.Integer({ description: 'The service (procedure) id' })),
      }),
    ),
    'A ticket was called (or recalled): show and say it.',
    'TVs and admins',
  ),
  ANNOUNCEMENT: outbound(
    frame(
      'ANNOUNCEMENT',
      Type.Object({ message: Type.String(), priority: oneOf('high', 'medium', 'low'), duration: Type.Integer({ description: 'Seconds' }), target_displays: Type.Array(Type.String()) }),
    ),
    'A message for the screens (plain text).',
    'The listed TVs (by client_id), or every TV when the list is empty',
  ),
  SYSTEM_ALERT: outbound(
    frame(
      'SYSTEM_ALERT',
      Type.Object({
        alert_type: oneOf('counter_offline', 'high_queue', 'system_error', 'max_wait', 'counter_idle'),
        counter_id: Nullable(Type.Integer()),
        message: Type.String(),
        severity: oneOf('critical', 'warning', 'info'),
        timestamp: IsoTime(),
      }),
    ),
    'A counter has had no officer for QUEUE_COUNTER_OFFLINE_MS, or its line reached QUEUE_HIGH_THRESHOLD.',
    'Admins',
  ),
  STATS_UPDATE: outbound(
    frame(
      'STATS_UPDATE',
      Type.Object({
        total_tickets_today: Type.Integer(),
        active_counters: Type.Integer(),
        average_wait_time: Type.Number({ description: 'Minutes' }),
        busiest_counter: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), queue_length: Type.Integer() })),
        timestamp: IsoTime(),
      }),
    ),
    'Totals of the day.',
    'Admins, every QUEUE_STATS_INTERVAL_MS and soon after a change',
  ),
  CLIENT_CONNECTED: outbound(frame('CLIENT_CONNECTED', Type.Object({ client_id: Type.String(), client_type: ClientType, timestamp: IsoTime() })), 'A queue client registered.', 'Admins'),
  CLIENT_DISCONNECTED: outbound(
    frame('CLIENT_DISCONNECTED', Type.Object({ client_id: Type.String(), client_type: ClientType, timestamp: IsoTime(), reason: oneOf('network_error', 'manual_disconnect', 'timeout') })),
    'A registered queue client went away (not when it was replaced by a newer socket).',
    'Admins',
  ),
  PONG: outbound(
    frame('PONG', Type.Object({ timestamp: Type.Unknown({ description: 'The PING’s timestamp, as sent (null when none)' }), server_time: IsoTime() })),
    'The answer to PING (also before AUTH).',
    'The sender',
  ),
  ERROR: outbound(
    frame(
      'ERROR',
      Type.Object({
        error_code: oneOf(...QUEUE_ERROR_CODES),
        message: Type.String(),
        timestamp: IsoTime(),
        retry_after_ms: Type.Optional(Type.Integer({ description: 'With RATE_LIMITED' })),
      }),
    ),
    'The message failed or the connection is refused; a refusal is followed by a close code.',
    'The sender',
  ),
};

export type QueueFrames = typeof queueFrames;
export type QueueFrame = AnyFrameOf<QueueFrames>;
export type QueuePayloads = { [K in keyof QueueFrames]: FrameOf<QueueFrames, K>['payload'] };

/** A queue frame whose payload must match its type. */
export function queueFrame<K extends keyof QueuePayloads>(type: K, payload: QueuePayloads[K]): QueueFrame {
  return { type, payload } as QueueFrame;
}
