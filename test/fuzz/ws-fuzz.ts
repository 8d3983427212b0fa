import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { attendanceCodec } from '../../src/attendance/attendance.codec';
import { bellsCodec } from '../../src/bells/bells.codec';
import { chatCodec } from '../../src/chat/chat.codec';
import { dashboardCodec } from '../../src/checkin/dashboard.codec';
import { queueCodec } from '../../src/queue/queue.codec';
import { Codec } from '../../src/realtime/codec';
import { schedulesCodec } from '../../src/schedules/schedules.codec';
import { TestApp, TestUser } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';
import { FuzzFailure, knownOpen } from './known-open';
import { deepValue, fuzzRuns, fuzzSeed, hugeNumber, mutate, mutation, serialize, weirdString, weirdValue } from './fuzz-values';

/**
 * Property-based frames for every gateway, over real sockets against the
 * real app in this process. Per gateway FUZZ_RUNS cases (10,000 by default,
 * FUZZ_RUNS=100000 for the long run), each one frame: arbitrary JSON,
 * non-JSON, binary, and near-valid frames built from the protocol's own
 * messages with a field dropped, replaced by a hostile value (wrong type,
 * numbers past int4/int8/double, nesting thousands deep, unicode, markup)
 * or added. Properties, checked frame by frame:
 *  - the server answers with no internal error (error frame or log line)
 *    and no unhandled rejection;
 *  - a frame that is not a message of the protocol gets INVALID_MESSAGE;
 *  - the socket stays open (except the closes the contract names for that
 *    message) and a valid message still gets its answer after every batch.
 * Frames are pipelined in batches; after each case a sentinel whose answer
 * is unique to it (an echoed ping timestamp, an unknown type named in the
 * error) marks where that case's answers end. Chat and the dashboard have
 * no such message, but answer every frame with exactly one frame.
 */

const CASES = fuzzRuns(10_000);
const BATCH = 250;
const DEEP = 6000; // under WS_MAX_FRAME_BYTES (64 KiB) at five bytes a level
const INTERNAL_TEXT = 'The server could not handle this message';

type Case = { data: string | Buffer; binary: boolean };

interface Target {
  name: string;
  codec: Codec;
  /** Messages the gateway has a handler for (decode's `event`). */
  handlers: string[];
  /** Code of an error frame, or undefined for any other frame. */
  errorCode(f: Frame): string | undefined;
  errorMessage(f: Frame): string;
  internalCodes: string[];
  /** Near-valid frames: the protocol's messages, mutated. */
  messages: fc.Arbitrary<unknown>;
  /** A frame whose answer is unique to `i`; null: every frame gets exactly one answer. */
  sentinel: ((i: number) => { frame: object; answers: (f: Frame) => boolean }) | null;
  /** Close codes the contract allows in answer to this (parsed) frame. */
  mayClose(frame: Record<string, unknown> | null): number[];
  open(): Promise<TestSocket>;
  /** A valid message and its answer. */
  usable(s: TestSocket): Promise<void>;
}

/** Anything that is not a message: non-JSON, binary, JSON that is no object, objects of random keys. */
const garbage: fc.Arbitrary<Case> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ data: s, binary: false })),
  fc.uint8Array({ maxLength: 200 }).map((b) => ({ data: Buffer.from(b), binary: true })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ data: serialize(v), binary: false })),
  fc.dictionary(weirdString, weirdValue(DEEP), { maxKeys: 4 }).map((o) => ({ data: serialize(o), binary: false })),
  deepValue(DEEP).map((v) => ({ data: v.text, binary: false })),
  fc.constantFrom('', '{', '}', 'null', '"', '{"type":', '\u0000', '[]', '{}', '{"__proto__":{"type":"x"}}').map((s) => ({ data: s, binary: false })),
);

/** Frames past WS_MAX_FRAME_BYTES close the socket (1009) by contract, and would end the batch. */
const FRAME_LIMIT = 60_000;

function caseArb(target: Target): fc.Arbitrary<Case> {
  return fc
    .oneof({ weight: 1, arbitrary: garbage }, { weight: 4, arbitrary: target.messages.map((m) => ({ data: serialize(m), binary: false })) })
    .filter((c) => Buffer.byteLength(c.data) < FRAME_LIMIT);
}

/** A template message, then a mutation of its body or of the whole frame. */
function nearValid(templates: Array<[string, fc.Arbitrary<Record<string, unknown>>, number?]>, wrap: (type: string, body: unknown) => Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    ...templates.map(([type, body, weight]) => ({
      weight: weight ?? 2,
      arbitrary: fc.tuple(body, mutation(DEEP), fc.boolean(), mutation(DEEP)).map(([b, m, outer, m2]) => {
        const frame = wrap(type, mutate(b, m));
        return outer && m2.kind !== 'whole' ? mutate(frame, m2) : frame;
      }),
    })),
  );
}

function parse(c: Case): Record<string, unknown> | null {
  try {
    const v = JSON.parse(typeof c.data === 'string' ? c.data : c.data.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

function describeCase(c: Case): string {
  const text = typeof c.data === 'string' ? c.data : `<binary ${c.data.toString('hex')}>`;
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

async function takeWindow(s: TestSocket, answers: (f: Frame) => boolean): Promise<{ window: Frame[]; answer: Frame | null; closed: number | null }> {
  let at = -1;
  try {
    const answer = await s.next(
      (f) => {
        if (!answers(f)) return false;
        at = s.frames.indexOf(f);
        return true;
      },
      30_000,
      'the answer of a fuzz case',
    );
    return { window: s.frames.splice(0, at), answer, closed: null };
  } catch (err) {
    if (s.closeInfo) return { window: s.frames.splice(0), answer: null, closed: s.closeInfo.code };
    throw err;
  }
}

export type GatewayName = 'bells' | 'schedules' | 'queue' | 'chat' | 'dashboard' | 'attendance';

/**
 * The suite for some gateways on one app; one spec file per gateway, so
 * each stays within the runner's per-file timeout and two run at once.
 */
export function fuzzGateways(names: GatewayName[]): void {
  describe(`fuzz: frames on ${names.join(', ')}`, () => {
    let t: TestApp;
    let member: TestUser;
    let other: TestUser;
    let conversationId = '';
    let sessionId = '';
    let counterId = 0;
    let otherChat: TestSocket | undefined;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    const known = new Map<string, number>();
    let seq = 0;

    before(async () => {
      process.on('unhandledRejection', onRejection);
      process.on('uncaughtException', onRejection);
      const many = '1000000000';
      t = await TestApp.start({
        env: {
          // Limits high enough that the rate limiter answers none of the cases.
          WS_MESSAGES_PER_MINUTE: many,
          CHAT_MESSAGES_PER_MINUTE: many,
          SCHEDULES_MESSAGES_PER_MINUTE: many,
          SCHEDULES_SUBSCRIPTIONS_PER_MINUTE: many,
          SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP: many,
          SCHEDULES_MAX_CONNECTIONS_PER_USER: '1000',
          WS_CONNECTIONS_PER_MINUTE_PER_IP: many,
          JWT_ACCESS_TTL: '86400',
          LOG_LEVEL: 'warn',
        },
      });
      member = await t.newUser({ role: 'member' });
      other = await t.newUser({ role: 'member' });
      const conv = await t.http('POST', '/api/chat/conversations', { token: member.token, body: { participant_ids: [other.id] } });
      assert.equal(conv.status, 201, JSON.stringify(conv.body));
      conversationId = conv.body.id;
      const now = t.clock.now();
      const session = await t.http('POST', '/api/event-sessions', {
        token: member.token,
        body: { name: 'Fuzz', starts_at: new Date(now - 3_600_000).toISOString(), ends_at: new Date(now + 3_600_000).toISOString() },
      });
      assert.equal(session.status, 201, JSON.stringify(session.body));
      sessionId = session.body.id;
      const counter = await t.http('POST', '/api/queue/counters', { token: t.adminToken, body: { name: 'Fuzz counter' } });
      assert.equal(counter.status, 201, JSON.stringify(counter.body));
      counterId = counter.body.id;
    });

    after(async () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onRejection);
      if (known.size) console.log(`fuzz (ws): tolerated known-open failures ${JSON.stringify(Object.fromEntries(known))}`);
      await t?.stop();
    });

    /** Runs every case of a batch, pipelined; returns the socket to use next (a new one after an allowed close). */
    async function runBatch(target: Target, s: TestSocket, cases: Case[]): Promise<TestSocket> {
      let i = 0;
      const sentinels = cases.map((_c, j) => (target.sentinel ? target.sentinel(seq + j) : null));
      seq += cases.length;
      while (i < cases.length) {
        const from = i;
        for (let j = from; j < cases.length; j++) {
          s.ws.send(cases[j].data, { binary: cases[j].binary });
          if (sentinels[j]) s.send(sentinels[j]!.frame);
        }
        for (; i < cases.length; i++) {
          const c = cases[i];
          const { window, answer, closed } = await takeWindow(s, sentinels[i]?.answers ?? (() => true)).catch((err: Error) => {
            throw new Error(`${target.name}: ${err.message}\n  frame: ${describeCase(c)}\n  previous: ${i ? describeCase(cases[i - 1]) : '-'}`);
          });
          const frames = target.sentinel ? window : [...window, ...(answer ? [answer] : [])];
          const parsed = parse(c);
          const fail = (outcome: string) => {
            const logged = t.logs.filter((l) => l.includes('"error"')).slice(-1)[0] ?? '';
            const text = typeof c.data === 'string' ? c.data : c.data.toString('utf8');
            const failure: FuzzFailure = { surface: `ws:${target.name}`, input: `${text} ${outcome}`, outcome: `${outcome} ${logged}` };
            const k = knownOpen(failure);
            if (k) return void known.set(`item ${k.item}`, (known.get(`item ${k.item}`) ?? 0) + 1);
            assert.fail(`${target.name}: ${outcome}\n  frame: ${describeCase(c)}\n  answers: ${JSON.stringify(frames).slice(0, 600)}\n  server log: ${logged.slice(0, 1500)}`);
          };
          for (const f of frames) {
            const code = target.errorCode(f);
            if (code !== undefined && (target.internalCodes.includes(code) || target.errorMessage(f) === INTERNAL_TEXT)) fail(`internal error frame ${code}`);
            // An alert may trail the frame that raised it: its own text says what the frame held.
            if (f.type === 'SYSTEM_ALERT' && f.payload?.alert_type === 'system_error') fail(`alert system_error raised by a frame: ${f.payload.message}`);
          }
          const decoded = parsed ? target.codec.decode(parsed) : null;
          const isMessage = !!decoded && target.handlers.includes(decoded.event);
          if (!isMessage && closed === null && !frames.some((f) => target.errorCode(f) === 'INVALID_MESSAGE')) {
            fail('no INVALID_MESSAGE for a frame that is no message');
          }
          if (closed !== null) {
            if (!target.mayClose(parsed).includes(closed)) fail(`socket closed with ${closed}`);
            s = await target.open();
            i++;
            break;
          }
        }
      }
      assert.deepEqual(rejections, [], 'no unhandled rejection or uncaught exception');
      await target.usable(s);
      return s;
    }

    async function fuzz(target: Target): Promise<void> {
      let s = await target.open();
      const runs = Math.ceil(CASES / BATCH);
      const out = await fc.check(
        fc.asyncProperty(fc.array(caseArb(target), { minLength: BATCH, maxLength: BATCH }), async (cases) => {
          s = await runBatch(target, s, cases);
        }),
        { numRuns: runs, seed: fuzzSeed(), endOnFailure: true },
      );
      // The failing batch itself is too long to print; the error names the frame, the seed replays it.
      if (out.failed) assert.fail(`${'errorInstance' in out ? String((out.errorInstance as Error)?.message) : 'the run was interrupted'}\n  replay: FUZZ_SEED=${out.seed} FUZZ_RUNS=${CASES}`);
      assert.equal((await t.http('GET', '/health')).status, 200);
      s.close();
    }

    const timestamp = fc.oneof(fc.constant(new Date(0).toISOString()), weirdString);

    if (names.includes('bells'))
      it(`bells: ${CASES} frames`, async () => {
        const codeOf = (f: Frame) => (f.type === 'error' ? f.payload?.code : undefined);
        await fuzz({
          name: 'bells',
          codec: bellsCodec,
          handlers: ['register', 'heartbeat'],
          errorCode: codeOf,
          errorMessage: (f) => f.payload?.message,
          internalCodes: ['INTERNAL'],
          messages: nearValid(
            [
              ['register', fc.record({ client_type: fc.constantFrom('client', 'admin', 'player'), client_name: fc.oneof(fc.constant(null), weirdString) })],
              ['heartbeat', fc.constant({})],
            ],
            (type, payload) => ({ type, timestamp: new Date(0).toISOString(), payload }),
          ),
          sentinel: (i) => ({ frame: { type: `zz-sentinel-${i}` }, answers: (f) => codeOf(f) === 'INVALID_MESSAGE' && String(f.payload.message).includes(`"zz-sentinel-${i}"`) }),
          mayClose: () => [],
          open: async () => {
            const s = await t.socket(`/ws/bells?client_type=client`, { token: member.token });
            s.send({ type: 'register', payload: { client_type: 'client', client_name: 'fuzz' } });
            await s.next((f) => f.type === 'connection_acknowledged');
            return s;
          },
          usable: async (s) => {
            s.send({ type: 'register', payload: { client_type: 'client', client_name: 'fuzz' } });
            await s.next((f) => f.type === 'connection_acknowledged', 5000, 'connection_acknowledged');
          },
        });
      });

    if (names.includes('schedules'))
      it(`schedules: ${CASES} frames`, async () => {
        const codeOf = (f: Frame) => (f.type === 'error' ? f.data?.code : undefined);
        const events = fc.array(fc.constantFrom('schedule', 'notification', 'employee', 'presence', 'system'), { minLength: 1, maxLength: 5 });
        await fuzz({
          name: 'schedules',
          codec: schedulesCodec,
          handlers: ['subscription/subscribe', 'subscription/unsubscribe', 'ping', 'presence/typing'],
          errorCode: codeOf,
          errorMessage: (f) => f.data?.message,
          internalCodes: ['INTERNAL'],
          messages: nearValid(
            [
              [
                'subscription/subscribe',
                fc.record({
                  events,
                  filters: fc.record({
                    employee_id: fc.oneof(fc.constant(1), hugeNumber),
                    date_range: fc.record({ start: fc.constantFrom('2024-03-01', '2024-13-45'), end: fc.constant('2024-03-31') }),
                  }),
                }),
              ],
              ['subscription/unsubscribe', fc.record({ events })],
              ['ping', fc.record({ timestamp })],
              ['presence/typing', fc.record({ typing: fc.boolean(), context: weirdString })],
            ],
            (key, data) => {
              const [type, action] = key.split('/');
              return type === 'ping' ? { type, data, timestamp: new Date(0).toISOString() } : { type, action, data, timestamp: new Date(0).toISOString() };
            },
          ),
          sentinel: (i) => ({ frame: { type: 'ping', timestamp: `zz-sentinel-${i}` }, answers: (f) => f.type === 'pong' && f.data?.timestamp === `zz-sentinel-${i}` }),
          mayClose: () => [],
          open: () => t.socket(`/ws/schedules?token=${encodeURIComponent(t.adminToken)}`),
          usable: async (s) => {
            s.send({ type: 'subscription', action: 'subscribe', data: { events: ['system'] } });
            await s.next((f) => f.type === 'subscription' && f.action === 'subscribed', 5000, 'subscription/subscribed');
          },
        });
      });

    if (names.includes('queue'))
      it(`queue: ${CASES} frames`, async () => {
        const codeOf = (f: Frame) => (f.type === 'ERROR' ? f.payload?.error_code : undefined);
        // A real counter costs a transaction per case; a third of the cases name it.
        const counter = () => fc.oneof({ weight: 1, arbitrary: fc.constant(counterId) }, { weight: 2, arbitrary: hugeNumber });
        const register = async (s: TestSocket) => {
          s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'admin', client_id: 'fuzz-admin', location: 'fuzz' } });
          await s.next((f) => f.type === 'CONNECTION_ACK', 5000, 'CONNECTION_ACK');
        };
        await fuzz({
          name: 'queue',
          codec: queueCodec,
          handlers: ['AUTH', 'REGISTER_CLIENT', 'TICKET_CREATED', 'CALL_TICKET', 'COUNTER_STATUS_CHANGE', 'ANNOUNCEMENT', 'PING'],
          errorCode: codeOf,
          errorMessage: (f) => f.payload?.message,
          internalCodes: [],
          messages: fc.constant(null).chain(() =>
            nearValid(
              [
                // AUTH and REGISTER_CLIENT rarer: most of their mutations close the socket by contract, and each reconnect costs a welcome.
                ['AUTH', fc.record({ token: fc.constant(`Bearer ${t.adminToken}`), role: fc.constant('admin') }), 1],
                ['REGISTER_CLIENT', fc.record({ client_type: fc.constant('admin'), client_id: fc.constant('fuzz-admin'), location: weirdString }), 1],
                ['TICKET_CREATED', fc.record({ counter_id: counter(), procedure_name: weirdString })],
                ['CALL_TICKET', fc.record({ counter_id: counter(), ticket_number: fc.oneof(fc.integer({ min: 1, max: 50 }), hugeNumber) })],
                ['COUNTER_STATUS_CHANGE', fc.record({ counter_id: counter(), status: fc.constantFrom('active', 'paused', 'offline'), reason: weirdString })],
                [
                  'ANNOUNCEMENT',
                  fc.record({
                    message: weirdString,
                    priority: fc.constantFrom('high', 'medium', 'low'),
                    duration: fc.integer({ min: 1, max: 60 }),
                    target_displays: fc.array(weirdString, { maxLength: 3 }),
                  }),
                ],
                ['PING', fc.record({ timestamp })],
              ],
              (type, payload) => ({ type, payload }),
            ),
          ),
          sentinel: (i) => ({ frame: { type: 'PING', payload: { timestamp: `zz-sentinel-${i}` } }, answers: (f) => f.type === 'PONG' && f.payload?.timestamp === `zz-sentinel-${i}` }),
          // The contract closes on a failed AUTH (4401) and on registering as an unknown (4400) or another (4403) client type.
          mayClose: (frame) => (frame?.type === 'AUTH' ? [4401] : frame?.type === 'REGISTER_CLIENT' ? [4400, 4403] : []),
          open: async () => {
            const s = await t.socket(`/ws/queue?token=${encodeURIComponent(t.adminToken)}`);
            await register(s);
            return s;
          },
          usable: async (s) => {
            s.send({ type: 'PING', payload: { timestamp: 'usable' } });
            await s.next((f) => f.type === 'PONG' && f.payload.timestamp === 'usable', 5000, 'PONG');
          },
        });
      });

    if (names.includes('chat'))
      it(`chat: ${CASES} frames`, async () => {
        const codeOf = (f: Frame) => (f.event === 'error' ? f.code : undefined);
        await fuzz({
          name: 'chat',
          codec: chatCodec,
          handlers: ['message'],
          errorCode: codeOf,
          errorMessage: (f) => f.message,
          internalCodes: ['INTERNAL_ERROR'],
          messages: fc.constant(null).chain(() =>
            fc
              .tuple(
                fc.record({
                  // A stored message costs a transaction; a quarter of the cases reach the database.
                  conversation_id: fc.oneof({ weight: 1, arbitrary: fc.constant(conversationId) }, { weight: 2, arbitrary: weirdString }),
                  content: fc.oneof(weirdString, fc.constant('hello'), fc.constant('http://127.0.0.1/media/x.png')),
                  type: fc.constantFrom('text', 'image'),
                }),
                mutation(DEEP),
              )
              .map(([frame, m]) => mutate(frame, m)),
          ),
          sentinel: null,
          mayClose: () => [],
          open: async () => {
            // The other participant online: messages to it make no notifications, which keeps a case cheap.
            otherChat ??= await t.socket('/ws/chat', { token: other.token });
            return t.socket('/ws/chat', { token: member.token });
          },
          usable: async (s) => {
            const content = `usable ${++seq}`;
            s.send({ conversation_id: conversationId, content });
            await s.next((f) => f.conversation_id === conversationId && f.content === content, 5000, 'the message echoed');
          },
        });
      });

    if (names.includes('dashboard'))
      it(`check-in dashboard: ${CASES} frames`, async () => {
        const codeOf = (f: Frame) => (f.event === 'error' ? f.code : undefined);
        await fuzz({
          name: 'dashboard',
          codec: dashboardCodec,
          handlers: [],
          errorCode: codeOf,
          errorMessage: (f) => f.message,
          internalCodes: ['INTERNAL_ERROR'],
          messages: nearValid([['checkin', fc.record({ user_id: fc.constant(member.id), session_id: fc.constant(sessionId) })]], (event, data) => ({ event, data })),
          sentinel: null,
          mayClose: () => [],
          open: async () => {
            const s = await t.socket(`/ws/dashboard/${sessionId}`);
            // Messages wait until the socket has joined its session; the answer says it has.
            s.send({});
            await s.next((f) => f.event === 'error', 5000, 'INVALID_MESSAGE');
            return s;
          },
          usable: async (s) => {
            const r = await t.http('POST', `/api/event-sessions/${sessionId}/check-ins`, { token: member.token, body: { user_id: other.id } });
            assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
            await s.next((f) => f.session_id === sessionId && f.user_id === other.id, 5000, 'the check-in attempt');
          },
        });
      });

    if (names.includes('attendance'))
      it(`attendance: ${CASES} frames`, async () => {
        const codeOf = (f: Frame) => (f.event === 'error' ? f.data?.code : undefined);
        await fuzz({
          name: 'attendance',
          codec: attendanceCodec,
          handlers: ['ping'],
          errorCode: codeOf,
          errorMessage: (f) => f.data?.message,
          internalCodes: ['INTERNAL'],
          messages: nearValid([['ping', fc.record({ timestamp })]], (event, data) => ({ event, data })),
          sentinel: (i) => ({ frame: { event: `zz-sentinel-${i}` }, answers: (f) => codeOf(f) === 'INVALID_MESSAGE' && String(f.data.message).includes(`"zz-sentinel-${i}"`) }),
          mayClose: () => [],
          open: () => t.socket('/ws/attendance', { token: t.adminToken }),
          usable: async (s) => {
            s.send({ event: 'ping' });
            await s.next((f) => f.event === 'pong', 5000, 'pong');
          },
        });
      });
  });
}
