import { Parser } from '@asyncapi/parser';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildAsyncApi } from '../../src/asyncapi/asyncapi.document';
import { gatewayMarkdown, replaceGenerated } from '../../src/asyncapi/asyncapi.markdown';
import { GATEWAY_CONTRACTS } from '../../src/asyncapi/gateway-contracts';
import { RealtimeService } from '../../src/realtime/realtime.service';
import { TestApp } from '../support/test-app';

describe('AsyncAPI document', () => {
  let t: TestApp;
  let doc: any;
  let page: Awaited<ReturnType<TestApp['http']>>;
  before(async () => {
    t = await TestApp.start({ env: { WS_PATH_BELLS: '/ws' } });
    // Read now: the slow parser test would leave the pooled HTTP connection idle past the server's keep-alive.
    page = await t.http('GET', '/docs/ws');
    const r = await t.http('GET', '/asyncapi.json');
    assert.equal(r.status, 200);
    doc = r.body;
  });
  after(() => t.stop());

  it('is a valid AsyncAPI 3.0 document', async () => {
    const { document, diagnostics } = await new Parser().parse(doc);
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    assert.deepEqual(errors, []);
    assert.ok(document, 'the parser built a document');
    assert.equal(document.version(), '3.0.0');
    assert.equal(document.channels().length, 6);
  });

  it('covers every gateway the server serves, at the path it serves it', () => {
    const served = t.get(RealtimeService).gatewayPaths();
    assert.equal(served.length, 6);
    for (const g of served) {
      const channel = doc.channels[g.name];
      assert.ok(channel, `${g.name} has a channel`);
      assert.equal(channel.address, g.path.replace(/:(\w+)/g, '{$1}'));
    }
    assert.equal(doc.channels.bells.address, '/ws', 'a moved gateway is documented where it is');
    assert.ok(doc.channels.dashboard.parameters.sessionId);
  });

  it('lists every message both ways, the handshake bindings, errors and close codes', () => {
    for (const c of GATEWAY_CONTRACTS) {
      const channel = doc.channels[c.name];
      const keys = Object.keys(channel.messages);
      assert.equal(keys.filter((k) => k.startsWith('out.')).length, Object.keys(c.outbound).length, c.name);
      assert.equal(keys.filter((k) => k.startsWith('in.')).length, Object.keys(c.inbound).length, c.name);
      assert.ok(channel.bindings.ws.query.properties.token, `${c.name}: ?token=`);
      assert.ok(channel.bindings.ws.headers.properties.Authorization, `${c.name}: Authorization header`);
      assert.ok(
        channel['x-close-codes'].some((x: { code: number }) => x.code === 4429),
        `${c.name}: close codes`,
      );
      assert.ok(
        channel['x-close-codes'].every((x: { meaning: string }) => x.meaning),
        `${c.name}: every close code explained`,
      );
      assert.ok(c.outbound[c.errorFrame], `${c.name}: error frame is one of its frames`);
      assert.equal(doc.operations[`${c.name}.send`].action, 'send');
    }
    assert.match(doc.channels.queue.description, /in-band `AUTH`/);
    assert.deepEqual(doc.channels.bells.bindings.ws.query.properties.client_type.enum, ['client', 'admin']);
    assert.match(doc.info.description, /not yet available/, 'resume options are announced as not available yet');
  });

  it('derives inbound payloads from the DTOs', () => {
    const register = doc.components.messages['queue.in.REGISTER_CLIENT'].payload;
    assert.deepEqual(register.properties.type, { const: 'REGISTER_CLIENT' });
    const body = register.properties.payload;
    assert.deepEqual(body.required.sort(), ['client_id', 'client_type']);
    assert.equal(body.properties.client_id.maxLength, 100);
    const subscribe = doc.components.messages['schedules.in.subscription.subscribe'].payload.properties.data;
    assert.deepEqual(subscribe.properties.events.items.enum, ['schedule', 'notification', 'employee', 'presence', 'system']);
    assert.equal(subscribe.properties.filters.properties.date_range.properties.start.format, 'date');
    assert.deepEqual(subscribe.properties.filters.properties.employee_id.type, ['integer', 'null']);
    const chat = doc.components.messages['chat.in.message'].payload;
    assert.deepEqual(chat.properties.type.enum, ['text', 'image']);
  });

  it('renders a readable page that loads nothing from elsewhere', () => {
    const r = page;
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    const html = r.body as string;
    for (const c of GATEWAY_CONTRACTS) assert.ok(html.includes(`id="${c.name}"`), c.name);
    assert.ok(html.includes('TICKET_ANNOUNCEMENT') && html.includes('announcement_text'), 'frames and their fields');
    assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//i, 'no script, stylesheet or remote address');
  });

  it('agrees with the message reference of docs/protocols (npm run protocols:doc)', () => {
    const reference = buildAsyncApi(GATEWAY_CONTRACTS, { publicUrl: 'http://localhost:3000', version: '1', paths: {} });
    for (const c of GATEWAY_CONTRACTS) {
      const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'protocols', `${c.name}.md`), 'utf8');
      assert.equal(replaceGenerated(page, gatewayMarkdown(reference, c.name)), page, `docs/protocols/${c.name}.md is out of date: run npm run protocols:doc`);
    }
  });
});
