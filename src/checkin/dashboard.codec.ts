import { seed003Error } from '../chat/chat.codec';
import { Codec } from '../realtime/codec';

/** The dashboard only listens: every inbound frame is INVALID_MESSAGE; errors share chat's frame. */
export const dashboardCodec: Codec = {
  decode: () => null,
  error: seed003Error,
};
