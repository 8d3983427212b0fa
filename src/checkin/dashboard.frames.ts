import { Type } from '@sinclair/typebox';
import { Seed003Error } from '../chat/chat.frames';
import { AnyFrameOf, IsoTime, Nullable, outbound, Uuid } from '../realtime/frames';
import { CHECKIN_OUTCOMES } from './entities/check-in.entity';

const Outcome = Type.Union(
  CHECKIN_OUTCOMES.map((o) => Type.Literal(o)),
  { description: 'Screens that asked with `?state=1` only: checked_in, already_checked_in, not_registered, not_open, closed, full or undone' },
);

const Row = Type.Object({
  checkin_time: IsoTime(),
  message: Type.String(),
  profile_url: Nullable(Type.String()),
  session_id: Uuid(),
  success: Type.Boolean(),
  user_id: Nullable(Uuid('Null for a guest without an account')),
  user_name: Type.String(),
  id: Uuid(),
  outcome: Outcome,
  recorded_by: Type.Object({ kind: Type.Union([Type.Literal('user'), Type.Literal('device')]), id: Uuid(), name: Type.String() }),
  scan_id: Nullable(Type.String({ description: 'The scanner’s id of a ticket scan' })),
  undone_at: Nullable(IsoTime('When the host undid this check-in')),
  undone_by: Nullable(Type.String({ description: 'Who undid it' })),
});

/** Server → client frames of /ws/dashboard/:sessionId: bare objects. */
export const dashboardFrames = {
  checkin: outbound(
    Type.Object({
      checkin_time: IsoTime(),
      message: Type.String(),
      profile_url: Nullable(Type.String({ description: 'Always null for now: no profile pictures are stored' })),
      session_id: Uuid(),
      success: Type.Boolean({ description: 'False for a repeat check-in or an unregistered user; `message` says which' }),
      user_id: Uuid(),
      user_name: Type.String(),
      id: Type.Optional(Uuid('Screens that asked with `?state=1` only: the attempt’s id')),
      outcome: Type.Optional(Outcome),
    }),
    'A check-in attempt on this session (the same object POST /api/event-sessions/{id}/check-ins returns).',
    'Every dashboard socket of the session',
  ),
  state: outbound(
    Type.Object({
      event: Type.Literal('state'),
      session_id: Uuid(),
      counts: Type.Record(Type.String(), Type.Integer(), { description: 'total_attempts, successful, failed, registered, not_checked_in and one count per outcome' }),
      latest: Type.Array(Row, { description: 'The latest attempts, newest first' }),
    }),
    'The running totals and latest attempts, at once on connect (added frame: only for a screen that connects with `?state=1`).',
    'The socket that asked',
  ),
  error: outbound(Seed003Error, 'The connection is refused (then close 4401, 4403 or 4404), or a frame was sent to this read-only socket.', 'The socket concerned'),
};

export type DashboardFrames = typeof dashboardFrames;
export type DashboardFrame = AnyFrameOf<DashboardFrames>;
