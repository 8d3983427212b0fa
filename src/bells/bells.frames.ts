import { TProperties, TSchema, Type } from '@sinclair/typebox';
import { AnyFrameOf, FrameOf, IsoTime, Nullable, outbound, Uuid } from '../realtime/frames';

/** `{type, timestamp, payload}`; `bare` for frames without a payload. */
const frame = <T extends string, P extends TSchema>(type: T, payload: P) => Type.Object({ type: Type.Literal(type), timestamp: IsoTime(), payload });
const bare = <T extends string>(type: T) => Type.Object({ type: Type.Literal(type), timestamp: IsoTime() });
const obj = <P extends TProperties>(p: P) => Type.Object(p);

const ClientType = Type.Union([Type.Literal('admin'), Type.Literal('client')]);

/** Server → client frames of /ws/bells. */
export const bellsFrames = {
  connection_acknowledged: outbound(
    frame('connection_acknowledged', obj({ connection_id: Uuid('The id `connected_clients` lists'), client_type: ClientType, message: Type.Literal('Connection successful'), server_time: IsoTime() })),
    'The answer to each valid `register`.',
    'The sender',
  ),
  connected_clients: outbound(
    frame(
      'connected_clients',
      obj({
        clients: Type.Array(
          obj({
            id: Uuid(),
            ip: Type.String(),
            client_type: ClientType,
            client_name: Nullable(Type.String()),
            connected_since: IsoTime(),
            zone: Nullable(Type.String({ description: 'The player’s zone' })),
            player_id: Nullable(Type.String({ description: 'The id rings are acknowledged under' })),
          }),
        ),
      }),
    ),
    'Every open bells connection, oldest first.',
    'Admin connections, when any bells connection opens, registers or closes, and right after an admin’s acknowledgement',
  ),
  schedules_updated: outbound(bare('schedules_updated'), 'A schedule or schedule item was created, changed or deleted: fetch /api/bells/schedules again.', 'All connections'),
  bell_triggered: outbound(
    frame(
      'bell_triggered',
      obj({
        scheduleItemId: Nullable(Uuid('Null for a manual ring')),
        soundId: Uuid(),
        name: Type.String(),
        ringId: Uuid('Acknowledge it with `bell_ack`'),
        kind: Type.String({ description: 'bell, test, emergency, lockdown' }),
        zones: Nullable(Type.Array(Type.String(), { description: 'Null: every zone' })),
        override: Type.Optional(Type.Boolean({ description: 'Present (true) for emergency and lockdown rings: ring even when paused' })),
      }),
    ),
    'Ring now: play the sound (GET /api/bells/sounds/{soundId}/file).',
    'All connections, when a scheduled item is due (state active, occurrence not cancelled) or an admin rings by hand',
  ),
  bell_cancelled: outbound(
    frame('bell_cancelled', obj({ scheduleItemId: Uuid(), date: Type.String({ description: 'Local date of the cancelled occurrence, YYYY-MM-DD' }) })),
    'One occurrence of an item will not ring.',
    'All connections',
  ),
  bell_uncancelled: outbound(
    frame('bell_uncancelled', obj({ scheduleItemId: Uuid(), date: Type.String({ description: 'YYYY-MM-DD' }) })),
    'A cancelled occurrence will ring after all.',
    'All connections',
  ),
  bells_prewarm: outbound(
    frame(
      'bells_prewarm',
      obj({
        date: Type.String({ description: 'YYYY-MM-DD' }),
        zone: Nullable(Type.String()),
        bells: Type.Array(
          obj({ scheduleItemId: Nullable(Uuid()), name: Type.String(), at: Type.String(), soundId: Nullable(Uuid()), checksum: Nullable(Type.String()), url: Nullable(Type.String()) }),
        ),
      }),
    ),
    'The bells still to ring today in the player’s zone, so it can fetch sounds before they are needed.',
    'Players, when the day’s bells may have changed',
  ),
  system_state_changed: outbound(
    frame('system_state_changed', obj({ state: Type.Union([Type.Literal('active'), Type.Literal('paused')]), paused_until: Nullable(IsoTime('When a timed pause ends')) })),
    'Scheduled bells were paused or resumed.',
    'All connections',
  ),
  audio_files_updated: outbound(bare('audio_files_updated'), 'A sound was added, changed or deleted: fetch /api/bells/sounds again.', 'All connections'),
  system_log: outbound(
    frame('system_log', obj({ level: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('error')]), message: Type.String(), source: Type.String() })),
    'A log line of the bell components (scheduler fired, client joined, errors).',
    'Admin connections',
  ),
  error: outbound(
    frame(
      'error',
      obj({
        code: Type.String({ description: 'INVALID_MESSAGE, RATE_LIMITED, UNAUTHENTICATED, FORBIDDEN, BAD_HANDSHAKE, TOO_MANY_CONNECTIONS, NOT_FOUND, INTERNAL' }),
        message: Type.String(),
        retry_after_ms: Type.Optional(Type.Integer()),
        reason: Type.Optional(Type.String({ description: 'Why a token was refused: missing, malformed, expired, revoked' })),
        errors: Type.Optional(Type.Array(Type.Unknown(), { description: 'Validation failures, one per field' })),
      }),
    ),
    'Bad input or a refusal; a refusal is followed by a close code.',
    'The sender',
  ),
};

export type BellsFrames = typeof bellsFrames;
export type BellsFrame = AnyFrameOf<BellsFrames>;
/** The payload of each frame type (undefined for frames without one). */
export type BellsPayloads = { [K in keyof BellsFrames]: FrameOf<BellsFrames, K> extends { payload: infer P } ? P : undefined };
