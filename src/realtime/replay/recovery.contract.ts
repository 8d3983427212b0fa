import { Type } from '@sinclair/typebox';
import type { GatewayContract, HandshakeParam } from '../contract';
import { Nullable, outbound } from '../frames';

/** The position an opted-in socket finds first in every frame of a stream: `{"_pos": {"s", "e", "o"}, …the frame}`. */
export const PositionSchema = Type.Object(
  {
    s: Type.String({ description: 'The stream (an audience: `tv`, `user:<id>`, `session:<id>`, …)' }),
    e: Type.String({ description: 'The stream’s epoch: a new one means its history was lost (restart, Redis flush)' }),
    o: Type.Integer({ minimum: 1, description: 'The frame’s offset: 1, 2, 3, … in the stream, without gaps' }),
  },
  { description: 'Reliable delivery: where this frame sits in its stream (only on sockets that connected with `recover=1`)' },
);

const streamStatus = outbound(
  Type.Object({
    _stream: Type.Object({
      s: Type.String({ description: 'The stream' }),
      e: Nullable(Type.String({ description: 'Its epoch (null: nothing was ever published to it)' })),
      o: Type.Integer({ minimum: 0, description: 'The offset this socket is at now: the next live frame of the stream is o + 1' }),
      recovered: Type.Optional(Type.Boolean({ description: 'Present when the socket presented a position for this stream: true = every missed frame was replayed before this frame' })),
      replayed: Type.Optional(Type.Integer({ minimum: 0, description: 'How many frames were replayed (recovered: true)' })),
      reason: Type.Optional(
        Type.Union([Type.Literal('unknown_position'), Type.Literal('expired'), Type.Literal('unavailable')], {
          description:
            'Why it could not recover (recovered: false): another epoch or an offset the stream never had; frames past the replay window; the log unreachable. Rebuild from the snapshot / REST, then carry on from o.',
        }),
      ),
    }),
  }),
  'Reliable delivery: where this socket stands in a stream it now follows, and whether its recovery was complete',
  'A socket that connected with `recover=1`, once per stream it joins (after any replayed frames of that stream)',
);

const RECOVERY_QUERY: Record<string, HandshakeParam> = {
  recover: {
    description:
      'Reliable delivery (docs/recovery.md): `1` puts a position (`_pos`) in every audience frame and a `_stream` frame per stream joined. Without it the frames are exactly the seed protocol’s.',
    schema: { type: 'string', enum: ['1', 'true'] },
  },
  since: {
    description:
      'With recover=1: the last position held per stream, as JSON `{"<stream>": ["<epoch>", <offset>], …}` (at most 256 streams; `["", 0]` for a stream whose `_stream` said `e: null`). What was missed is replayed, in order, before live frames.',
    schema: { type: 'string' },
  },
};

/** Adds the reliable-delivery parameters and frame to a gateway's contract (every gateway has them). */
export function withRecovery(c: GatewayContract): GatewayContract {
  return {
    ...c,
    query: { ...(c.query ?? {}), ...RECOVERY_QUERY },
    outbound: { ...c.outbound, _stream: streamStatus },
    limits: [
      ...c.limits,
      'Reliable delivery: with recover=1 every audience frame starts with `"_pos": {"s": stream, "e": epoch, "o": offset}`; replies and errors to one socket carry none. See docs/recovery.md.',
    ],
  };
}
