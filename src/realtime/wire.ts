/**
 * A frame serialized once: the JSON payload and, built on first use, the
 * complete unmasked WebSocket text frame (header + payload). Broadcasting
 * writes the same `wire` bytes to every socket, so a broadcast to N sockets
 * costs one JSON.stringify, one frame header and N socket writes.
 */
export class Encoded {
  private framed: Buffer | null = null;

  constructor(readonly payload: Buffer) {}

  static of(frame: object): Encoded {
    return new Encoded(Buffer.from(JSON.stringify(frame)));
  }

  get wire(): Buffer {
    return (this.framed ??= textFrame(this.payload));
  }
}

/** RFC 6455 text frame, FIN set, no mask (server to client). */
export function textFrame(payload: Buffer): Buffer {
  const len = payload.length;
  const headerLength = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + len);
  frame[0] = 0x81;
  if (len < 126) {
    frame[1] = len;
  } else if (len < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    frame.writeUInt32BE(len >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/**
 * Frames that go out together, in order, to many sockets (a display's
 * welcome): their wire bytes joined once, so each socket gets them in one
 * write. `same()` tells whether another list holds the very same frames.
 */
export class FrameBatch {
  private joined: Buffer | null = null;

  constructor(readonly frames: readonly Encoded[]) {}

  get wire(): Buffer {
    return (this.joined ??= Buffer.concat(this.frames.map((f) => f.wire)));
  }

  same(frames: readonly Encoded[]): boolean {
    return frames.length === this.frames.length && frames.every((f, i) => f === this.frames[i]);
  }
}
