import { Type } from '@sinclair/typebox';
import { Seed003Error } from '../chat/chat.frames';
import { AnyFrameOf, IsoTime, Nullable, outbound, Uuid } from '../realtime/frames';

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
    }),
    'A check-in attempt on this session (the same object POST /api/event-sessions/{id}/check-ins returns).',
    'Every dashboard socket of the session',
  ),
  error: outbound(Seed003Error, 'The connection is refused (then close 4401, 4403 or 4404), or a frame was sent to this read-only socket.', 'The socket concerned'),
};

export type DashboardFrames = typeof dashboardFrames;
export type DashboardFrame = AnyFrameOf<DashboardFrames>;
