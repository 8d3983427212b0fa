/**
 * The reconnect storm's TVs: a lean WebSocket client on a bare TCP socket.
 * The storm's clients share the machine's two cores with the server, and the
 * `ws` library's client (an `http.request` per connection, a frame parser
 * per message) costs about as much CPU per reconnect as the server's whole
 * registration, so with it the harness measures itself as much as the
 * server. This client does what a TV must and nothing more, per RFC 6455:
 * it sends the opening handshake, checks the 101 answer and its
 * `Sec-WebSocket-Accept`, only then sends its masked register frame, and
 * looks for a marker in the bytes that follow (a TV counts as back when its
 * snapshot has arrived). `BENCH_STORM_CLIENT=ws` uses the `ws` client instead.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface LeanTarget {
  host: string;
  port: number;
  path: string;
  localAddress: string;
}

/** The text frame a client sends: FIN, opcode 1, masked (RFC 6455 §5.2). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + 4 + len);
  frame[0] = 0x81;
  if (len < 126) frame[1] = 0x80 | len;
  else if (len < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, head);
  for (let i = 0; i < len; i++) frame[head + 4 + i] = payload[i] ^ mask[i & 3];
  return frame;
}

/** One key per client process (the server only has to answer it), and the answer it must give. */
const KEY = randomBytes(16).toString('base64');
const ACCEPT = Buffer.from(
  `Sec-WebSocket-Accept: ${createHash('sha1')
    .update(KEY + GUID)
    .digest('base64')}`.toLowerCase(),
);
const HEAD_END = Buffer.from('\r\n\r\n');
const SWITCHING = Buffer.from('HTTP/1.1 101');

/**
 * Opens one connection, registers with `frame` once upgraded, and calls
 * `onBack` when `marker` has arrived after the handshake; `onLost` when the
 * connection failed or closed before that. Returns the socket, to cut it later.
 */
export function leanRegister(target: LeanTarget, authorization: string | undefined, frame: Buffer, marker: Buffer, onBack: () => void, onLost: (why: string) => void): Socket {
  const socket = connect({ host: target.host, port: target.port, localAddress: target.localAddress });
  socket.setNoDelay(true);
  let head: Buffer | null = Buffer.alloc(0);
  let tail: Buffer = Buffer.alloc(0);
  let done = false;
  const finish = (why: string | null) => {
    if (done) return;
    done = true;
    if (why === null) onBack();
    else {
      socket.destroy();
      onLost(why);
    }
  };
  socket.once('connect', () => {
    socket.write(
      `GET ${target.path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n${authorization ? `Authorization: ${authorization}\r\n` : ''}\r\n`,
    );
  });
  socket.on('data', (chunk: Buffer) => {
    if (done) return;
    let body = chunk;
    if (head) {
      head = head.length ? Buffer.concat([head, chunk]) : chunk;
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        if (head.length > 16_384) finish('handshake answer too long');
        return;
      }
      const answer = head.subarray(0, end);
      if (!answer.subarray(0, SWITCHING.length).equals(SWITCHING)) return finish(`refused: ${answer.subarray(0, 40).toString('latin1')}`);
      if (Buffer.from(answer.toString('latin1').toLowerCase()).indexOf(ACCEPT) < 0) return finish('wrong Sec-WebSocket-Accept');
      body = head.subarray(end + HEAD_END.length);
      head = null;
      socket.write(frame);
    }
    // The marker may straddle two reads: keep the last bytes that could start it.
    const seen = tail.length ? Buffer.concat([tail, body]) : body;
    if (seen.indexOf(marker) >= 0) return finish(null);
    tail = seen.subarray(Math.max(0, seen.length - marker.length + 1));
  });
  // An error is followed by close; the first reason is the one reported.
  socket.on('error', (err) => finish(String(err)));
  socket.once('close', () => finish('closed before registering'));
  return socket;
}
