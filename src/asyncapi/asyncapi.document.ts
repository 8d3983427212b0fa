import { CLOSE_CODE_MEANINGS, GatewayContract } from '../realtime/contract';
import { dtoSchema, JsonSchema } from '../realtime/dto-schema';

export interface DocumentOptions {
  publicUrl: string;
  version: string;
  /** Paths the running server actually serves (WS_PATH_<NAME> may move them), by gateway name. */
  paths: Record<string, string>;
}

/** Message keys may not contain `/` (schedules' `type/action`). */
const key = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '.');
/** `/ws/dashboard/:sessionId` → `/ws/dashboard/{sessionId}` (AsyncAPI's parameter syntax). */
const address = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
/** TypeBox keeps its bookkeeping under symbol keys; a JSON round trip leaves plain JSON Schema. */
const plain = (schema: unknown): JsonSchema => JSON.parse(JSON.stringify(schema));

const RESUME_NOTE =
  'Resuming a stream from a position after a reconnect (reliable delivery) is not yet available: there are no `resume`/`positions` handshake options yet. After a reconnect, re-read the state you show over REST (or, on the queue, from the welcome snapshot that follows CONNECTION_ACK).';

/**
 * The AsyncAPI 3.0 document of every gateway, built from the gateway
 * contracts: outbound payloads are the frames' TypeBox schemas, inbound ones
 * come from the DTOs. The document describes the server: it `receive`s what
 * clients send and `send`s frames.
 */
export function buildAsyncApi(contracts: readonly GatewayContract[], options: DocumentOptions): JsonSchema {
  const url = new URL(options.publicUrl);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const c of contracts) {
    const channelMessages: Record<string, unknown> = {};
    for (const [type, frame] of Object.entries(c.outbound)) {
      const id = `${c.name}.out.${key(type)}`;
      messages[id] = { name: type, title: type, summary: frame.summary, description: `To: ${frame.audience}.`, contentType: 'application/json', payload: plain(frame.schema) };
      channelMessages[`out.${key(type)}`] = { $ref: `#/components/messages/${id}` };
    }
    for (const [name, message] of Object.entries(c.inbound)) {
      const id = `${c.name}.in.${key(name)}`;
      const body = message.dto ? dtoSchema(message.dto) : null;
      const description = [message.who ? `Who may send it: ${message.who}.` : '', message.replies?.length ? `Answered by: ${message.replies.join(', ')}.` : ''].filter(Boolean).join(' ');
      messages[id] = { name, title: name, summary: message.summary, ...(description ? { description } : {}), contentType: 'application/json', payload: plain(c.inboundFrame(name, body)) };
      channelMessages[`in.${key(name)}`] = { $ref: `#/components/messages/${id}` };
    }
    const path = address(options.paths[c.name] ?? c.path);
    const parameters = Object.fromEntries(Object.entries(c.pathParams ?? {}).map(([p, v]) => [p, { description: v.description }]));
    const query: JsonSchema = {
      type: 'object',
      properties: {
        token: { type: 'string', description: 'Access token (JWT) when the client cannot set headers (browsers)' },
        ...Object.fromEntries(Object.entries(c.query ?? {}).map(([q, v]) => [q, { ...v.schema, description: v.description }])),
      },
    };
    channels[c.name] = {
      address: path,
      title: c.title,
      description: channelDescription(c),
      messages: channelMessages,
      ...(Object.keys(parameters).length ? { parameters } : {}),
      bindings: {
        ws: {
          method: 'GET',
          query,
          headers: { type: 'object', properties: { Authorization: { type: 'string', description: '`Bearer <access token>`; looked at before `?token=`' } } },
          bindingVersion: '0.1.0',
        },
      },
      'x-close-codes': c.closeCodes.map((code) => ({ code, meaning: CLOSE_CODE_MEANINGS[code] ?? '' })),
      'x-error-frame': c.errorFrame,
      'x-auth': c.auth,
      'x-limits': c.limits,
    };
    const ref = (dir: 'in' | 'out', name: string) => ({ $ref: `#/channels/${c.name}/messages/${dir}.${key(name)}` });
    if (Object.keys(c.inbound).length) {
      operations[`${c.name}.receive`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${c.name}` },
        title: `${c.title}: client → server`,
        summary: `Messages a client sends on ${path}.`,
        messages: Object.keys(c.inbound).map((n) => ref('in', n)),
      };
    }
    operations[`${c.name}.send`] = {
      action: 'send',
      channel: { $ref: `#/channels/${c.name}` },
      title: `${c.title}: server → client`,
      summary: `Frames the server sends on ${path}.`,
      messages: Object.keys(c.outbound).map((n) => ref('out', n)),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Switchboard WebSocket gateways',
      version: options.version,
      description: [
        'The six real-time gateways of Switchboard. Frames are UTF-8 JSON text, one message per frame; times are ISO 8601 in UTC. The REST API is described at /docs-json.',
        'Authentication: an access token from `POST /api/auth/login` (users) or a device token, sent as `Authorization: Bearer <token>` or `?token=<token>` (browsers cannot set headers). The queue also accepts an in-band `AUTH` message. A refused token gets the gateway’s error frame, then close 4401.',
        RESUME_NOTE,
      ].join('\n\n'),
    },
    servers: {
      switchboard: {
        host: url.host,
        protocol: url.protocol === 'https:' ? 'wss' : 'ws',
        description: 'This server (PUBLIC_URL)',
        security: [{ $ref: '#/components/securitySchemes/bearerHeader' }, { $ref: '#/components/securitySchemes/tokenQuery' }],
      },
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      securitySchemes: {
        bearerHeader: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: '`Authorization: Bearer <token>` on the upgrade request (Node, devices)' },
        tokenQuery: { type: 'httpApiKey', name: 'token', in: 'query', description: '`?token=<token>` on the URL (browsers)' },
      },
    },
  };
}

function channelDescription(c: GatewayContract): string {
  const sources = c.auth.sources.map((s) => (s === 'header' ? 'the `Authorization: Bearer` header' : s === 'query' ? '`?token=`' : 'an in-band `AUTH` message')).join(', else ');
  return [
    c.description,
    `Authentication (${c.auth.required ? 'required' : 'optional'}): the token comes from ${sources}. ${c.auth.who}`,
    `Errors: the \`${c.errorFrame}\` frame; the socket stays open unless a close code follows.`,
    `Heartbeat: ${c.heartbeat}`,
  ].join('\n\n');
}
