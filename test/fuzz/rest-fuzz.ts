import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { TestApp, TestUser } from '../support/test-app';
import { FuzzFailure, knownOpen } from './known-open';
import { fuzzRuns, fuzzSeed, hugeNumber, mutate, mutation, RawJson, serialize, weirdString, weirdValue } from './fuzz-values';

/**
 * Every REST route of the OpenAPI document at /docs-json, as the admin and
 * as a member: random and near-valid bodies (built from each route's schema,
 * then a field dropped, replaced by a hostile value or added), query strings
 * (scalars, repeated keys, hostile values) and path parameters (numbers
 * past int4/int8, malformed uuids, traversal). Property: never a 5xx, the
 * server stays up, no unhandled rejection. FUZZ_RUNS scales the cases per
 * route (CI: 10,000 → 20 per route and principal). One spec file per
 * principal, so each stays within the runner's per-file timeout.
 */

const PER_ROUTE = Math.max(10, Math.round(fuzzRuns(10_000) / 500));
const DEEP = 3000;

type Schema = Record<string, any>;
interface Route {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  body: Schema | null;
  multipart: boolean;
}

interface Request {
  path: string;
  query: string;
  body: string | FormData | undefined;
  contentType: string | undefined;
}

/** encodeURIComponent that takes lone surrogates too (a URL cannot carry them; U+FFFD is what a browser would send). */
function encode(s: string): string {
  return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function routesOf(doc: Schema): Route[] {
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params: Schema[] = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema ?? null;
      const form = content['multipart/form-data']?.schema ?? null;
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: resolve(doc, json ?? form),
        multipart: !json && !!form,
      });
    }
  }
  return routes;
}

function resolve(doc: Schema, s: Schema | null): Schema | null {
  if (!s) return null;
  if (s.$ref)
    return resolve(
      doc,
      s.$ref
        .split('/')
        .slice(1)
        .reduce((o: Schema, k: string) => o?.[k], doc),
    );
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: Schema) => resolve(doc, x)));
  if (s.properties) return { ...s, properties: Object.fromEntries(Object.entries<Schema>(s.properties).map(([k, v]) => [k, resolve(doc, v) ?? {}])) };
  if (s.items) return { ...s, items: resolve(doc, s.items) };
  return s;
}

/** A value that fits the schema, as far as a schema says. */
function valueOf(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.example !== undefined && depth < 3) return fc.oneof(fc.constant(s.example), typed(s, depth));
  return typed(s, depth);
}

function typed(s: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (s.type) {
    case 'integer':
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 100, 100) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(valueOf(s.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object':
      return depth > 3 || !s.properties ? fc.constant({}) : objectOf(s, depth + 1);
    case 'string':
      if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === 'uuid') return fc.uuid();
      return fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('2024-03-13', '08:00', 'fuzz@example.com', 'password-123'));
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(s: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries<Schema>(s.properties ?? {});
  return fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueOf(v, depth)])), { requiredKeys: [] });
}

const pathValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '99999999999999999999',
    '2147483648',
    '1e400',
    '1.5',
    'NaN',
    '00000000-0000-0000-0000-000000000000',
    'not-a-uuid',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '%E2%80%AE',
    'x'.repeat(300),
  ),
  fc.uuid(),
  fc.integer({ min: 1, max: 5 }).map(String),
  weirdString.map((s) => encode(s) || 'x'),
);

function queryValue(s: Schema): fc.Arbitrary<string> {
  return fc.oneof(
    valueOf(s).map((v) => (typeof v === 'string' ? v : serialize(v))),
    hugeNumber.map((v) => (v instanceof RawJson ? v.text : String(v))),
    weirdString,
  );
}

function requestOf(route: Route): fc.Arbitrary<Request> {
  const params = fc.tuple(...route.pathParams.map(() => pathValue));
  const query = fc.array(
    fc.oneof(...(route.query.length ? [fc.constantFrom(...route.query).chain((q) => queryValue(q.schema).map((v) => [q.name, v] as [string, string]))] : []), fc.tuple(weirdString, weirdString)),
    { maxLength: 4 },
  );
  const body: fc.Arbitrary<unknown> = route.body ? fc.tuple(objectOf(route.body), mutation(DEEP)).map(([b, m]) => mutate(b, m)) : fc.oneof(fc.constant(undefined), weirdValue(DEEP));
  return fc.tuple(params, query, body, fc.constantFrom('json', 'json', 'json', 'text', 'form')).map(([ps, qs, b, as]) => {
    let path = route.path;
    route.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, ps[i])));
    const search = qs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    if (b === undefined || route.method === 'GET') return { path, query: search, body: undefined, contentType: undefined };
    if (as === 'form' || (route.multipart && as !== 'text')) {
      const form = new FormData();
      if (b && typeof b === 'object' && !Array.isArray(b)) for (const [k, v] of Object.entries(b)) form.append(k, typeof v === 'string' ? v : serialize(v));
      else form.append('file', new Blob([serialize(b)]), 'x.bin');
      return { path, query: search, body: form, contentType: undefined };
    }
    return { path, query: search, body: serialize(b), contentType: as === 'text' ? 'text/plain' : 'application/json' };
  });
}

/** A body of each property's documented example (when it has one). */
function exampleBody(s: Schema): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries<Schema>(s.properties ?? {})
      .filter(([, v]) => v.example !== undefined)
      .map(([k, v]) => [k, v.example]),
  );
}

/** The id of the first row a route's collection lists, so `/{id}` routes reach a row that exists. */
async function existingId(t: TestApp, token: string, route: Route): Promise<string> {
  const at = route.path.lastIndexOf('/{');
  if (at < 0) return '1';
  const list = await t.http('GET', route.path.slice(0, at), { token });
  const rows = Array.isArray(list.body) ? list.body : Object.values<unknown>(list.body ?? {}).find(Array.isArray);
  const id = (rows as Array<{ id?: unknown }> | undefined)?.[0]?.id;
  return id === undefined ? '1' : String(id);
}

export function fuzzRest(as: 'admin' | 'member'): void {
  describe(`fuzz: bodies, queries and path parameters of every REST route, as ${as}`, () => {
    let t: TestApp;
    let member: TestUser;
    let routes: Route[] = [];
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    const known = new Map<string, number>();

    before(async () => {
      process.on('unhandledRejection', onRejection);
      process.on('uncaughtException', onRejection);
      t = await TestApp.start({ env: { LOGIN_ATTEMPTS_PER_IP: '1000000', LOGIN_ATTEMPTS_PER_ACCOUNT: '1000000', JWT_ACCESS_TTL: '86400', LOG_LEVEL: 'warn' } });
      member = await t.newUser({ role: 'member' });
      const doc = await t.http('GET', '/docs-json');
      assert.equal(doc.status, 200);
      routes = routesOf(doc.body);
    });

    after(async () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onRejection);
      if (known.size) console.log(`fuzz (rest): tolerated known-open failures ${JSON.stringify(Object.fromEntries(known))}`);
      await t?.stop();
    });

    it('walks a document that lists the routes of every domain', () => {
      for (const prefix of ['/api/auth', '/api/users', '/api/bells', '/api/schedules', '/api/queue', '/api/chat', '/api/event-sessions', '/api/attendance', '/api/notifications']) {
        assert.ok(
          routes.some((r) => r.path.startsWith(prefix)),
          `a route under ${prefix}`,
        );
      }
    });

    {
      it(`never answers 5xx, as ${as}`, async () => {
        const token = as === 'admin' ? t.adminToken : member.token;
        let sent = 0;
        for (const route of routes) {
          // Signing the fuzzing principal out would turn the rest of the run into 401s.
          if (route.path === '/api/auth/logout') continue;
          const out = await fc.check(
            fc.asyncProperty(requestOf(route), async (req) => {
              sent++;
              const url = `${t.baseUrl}${req.path}${req.query ? `?${req.query}` : ''}`;
              const headers: Record<string, string> = { authorization: `Bearer ${token}` };
              if (req.contentType) headers['content-type'] = req.contentType;
              const res = await fetch(url, { method: route.method, headers, body: req.body, signal: AbortSignal.timeout(15_000) });
              const text = await res.text();
              if (res.status < 500) return;
              const shown = typeof req.body === 'string' ? req.body.slice(0, 300) : req.body instanceof FormData ? `<form ${JSON.stringify([...req.body.keys()])}>` : '';
              const logged =
                t.logs
                  .filter((l) => l.includes('"error"'))
                  .slice(-1)[0]
                  ?.slice(0, 600) ?? '';
              const failure: FuzzFailure = {
                surface: `rest:${route.method} ${route.path}`,
                input: `${route.method} ${decode(req.path)}?${decode(req.query)} ${typeof req.body === 'string' ? req.body : ''}`,
                outcome: `HTTP ${res.status}`,
              };
              const k = knownOpen(failure);
              if (k) return void known.set(`item ${k.item}`, (known.get(`item ${k.item}`) ?? 0) + 1);
              assert.fail(`${route.method} ${route.path}: HTTP ${res.status} ${text.slice(0, 200)}\n  request: ${route.method} ${req.path}?${req.query} ${shown}\n  server: ${logged}`);
            }),
            { numRuns: PER_ROUTE, seed: fuzzSeed(), endOnFailure: true },
          );
          if (out.failed) assert.fail(`${'errorInstance' in out ? String((out.errorInstance as Error)?.message) : 'interrupted'}\n  replay: FUZZ_SEED=${out.seed}`);
        }
        assert.ok(sent >= routes.length * PER_ROUTE * 0.9, `sent ${sent} requests`);
        assert.deepEqual(rejections, [], 'no unhandled rejection or uncaught exception');
        assert.equal((await t.http('GET', '/health')).status, 200);
      });

      // null in one field at a time, alone and among documented examples, on
      // rows that exist: a column that cannot hold null must answer 400.
      it(`answers null in any single body field with 4xx, never 5xx, as ${as}`, async () => {
        const token = as === 'admin' ? t.adminToken : member.token;
        const failures: string[] = [];
        for (const route of routes) {
          if (!route.body?.properties || route.method === 'DELETE' || route.method === 'GET') continue;
          // Signing out, or changing the admin's own account, would turn the rest into 401s.
          if (route.path.startsWith('/api/auth') || route.path.startsWith('/api/users')) continue;
          let path = route.path;
          for (const name of route.pathParams) path = path.replace(`{${name}}`, await existingId(t, token, route));
          for (const field of Object.keys(route.body.properties)) {
            for (const body of [{ [field]: null }, { ...exampleBody(route.body), [field]: null }]) {
              const res = await t.http(route.method, path, { token, body });
              if (res.status >= 500) failures.push(`${route.method} ${path} ${JSON.stringify(body)}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            }
          }
        }
        assert.deepEqual(failures, []);
        assert.equal((await t.http('GET', '/health')).status, 200);
      });
    }
  });
}
