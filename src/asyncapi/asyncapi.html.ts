import type { JsonSchema } from '../realtime/dto-schema';

/**
 * A readable page of the AsyncAPI document, rendered here with no script and
 * nothing loaded from elsewhere, so it works on a closed network.
 */
export function renderAsyncApiHtml(doc: JsonSchema): string {
  const info = doc.info as { title: string; version: string; description: string };
  const channels = doc.channels as Record<string, Channel>;
  const messages = (doc.components as { messages: Record<string, Message> }).messages;
  const resolve = (ref: { $ref: string }) => messages[ref.$ref.split('/').pop()!];
  const toc = Object.entries(channels)
    .map(([id, c]) => `<li><a href="#${esc(id)}">${esc(c.title)}</a> <code>${esc(c.address)}</code></li>`)
    .join('');
  const sections = Object.entries(channels).map(([id, c]) => {
    const msgs = Object.entries(c.messages).map(([k, ref]) => ({ dir: k.startsWith('in.') ? 'in' : 'out', m: resolve(ref) }));
    const table = (dir: string, heading: string) => {
      const list = msgs.filter((x) => x.dir === dir);
      if (!list.length) return `<h3>${heading}</h3><p>None.</p>`;
      return `<h3>${heading}</h3>${list.map(({ m }) => messageHtml(m, dir)).join('')}`;
    };
    const query = Object.entries((c.bindings.ws.query.properties ?? {}) as Record<string, JsonSchema>)
      .map(([q, s]) => `<tr><td><code>${esc(q)}</code></td><td>${esc(typeOf(s))}</td><td>${esc(String(s.description ?? ''))}</td></tr>`)
      .join('');
    const closes = c['x-close-codes'].map((x) => `<tr><td><code>${x.code}</code></td><td>${esc(x.meaning)}</td></tr>`).join('');
    return `<section id="${esc(id)}"><h2>${esc(c.title)} <code>${esc(c.address)}</code></h2>
${paragraphs(c.description)}
<h3>Handshake query</h3><table><tr><th>parameter</th><th>type</th><th>meaning</th></tr>${query}</table>
<p>Header: <code>Authorization: Bearer &lt;token&gt;</code> (looked at before <code>?token=</code>).</p>
${table('in', 'Client → server')}
${table('out', 'Server → client')}
<h3>Close codes</h3><table><tr><th>code</th><th>meaning</th></tr>${closes}</table>
<h3>Limits</h3><ul>${c['x-limits'].map((l) => `<li>${inline(l)}</li>`).join('')}</ul></section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)}</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem 2rem;color:#222}
code{background:#f3f3f3;padding:0 .25em;border-radius:3px}table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#fafafa}
section{border-top:2px solid #333;margin-top:2rem}.msg{border-left:4px solid #4a7;padding:.1rem 1rem;margin:1rem 0}.msg.in{border-color:#47a}
.msg h4{margin:.5rem 0}.aud{color:#555}
</style></head><body>
<h1>${esc(info.title)} <small>v${esc(info.version)}</small></h1>
${paragraphs(info.description)}
<p>The machine-readable document: <a href="/asyncapi.json">/asyncapi.json</a> (AsyncAPI 3.0). REST: <a href="/docs">/docs</a>.</p>
<ul>${toc}</ul>
${sections.join('\n')}
</body></html>`;
}

interface Channel {
  address: string;
  title: string;
  description: string;
  messages: Record<string, { $ref: string }>;
  bindings: { ws: { query: JsonSchema } };
  'x-close-codes': Array<{ code: number; meaning: string }>;
  'x-limits': string[];
}

interface Message {
  name: string;
  summary: string;
  description?: string;
  payload: JsonSchema;
}

function messageHtml(m: Message, dir: string): string {
  const rows = fields(m.payload, '', true)
    .map((f) => `<tr><td><code>${esc(f.path)}</code></td><td>${esc(f.type)}</td><td>${f.required ? 'yes' : ''}</td><td>${inline(f.description)}</td></tr>`)
    .join('');
  return `<div class="msg ${dir}"><h4><code>${esc(m.name)}</code></h4><p>${inline(m.summary)}${m.description ? ` <span class="aud">${inline(m.description)}</span>` : ''}</p>
${rows ? `<table><tr><th>field</th><th>type</th><th>required</th><th>meaning</th></tr>${rows}</table>` : ''}</div>`;
}

export interface Field {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

/** The fields of a schema, nested objects and arrays flattened to dotted paths. */
export function fields(schema: JsonSchema, prefix: string, required: boolean): Field[] {
  const out: Field[] = [];
  const object = nonNull(schema);
  if (prefix) out.push({ path: prefix, type: typeOf(schema), required, description: String(schema.description ?? object.description ?? '') });
  if (object.type === 'object' && object.properties) {
    const req = new Set((object.required as string[] | undefined) ?? []);
    for (const [name, s] of Object.entries(object.properties as Record<string, JsonSchema>)) out.push(...fields(s, prefix ? `${prefix}.${name}` : name, req.has(name)));
  } else if (object.type === 'array' && object.items) {
    const items = nonNull(object.items as JsonSchema);
    if (items.type === 'object' && items.properties) out.push(...fields(items, `${prefix}[]`, true).slice(1));
  }
  return out;
}

/** The non-null branch of `X | null`. */
function nonNull(schema: JsonSchema): JsonSchema {
  const any = schema.anyOf as JsonSchema[] | undefined;
  if (any?.length === 2 && any.some((s) => s.type === 'null')) return any.find((s) => s.type !== 'null')!;
  return schema;
}

export function typeOf(schema: JsonSchema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.enum) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  const any = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (any) return any.map(typeOf).join(' | ');
  if (schema.type === 'array') return `${schema.items ? typeOf(schema.items as JsonSchema) : 'any'}[]`;
  if (schema.type === 'object' && !schema.properties) return 'object';
  const base = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  return schema.format ? `${base} (${schema.format})` : base;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escaped text with `code` spans. */
function inline(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function paragraphs(s: string): string {
  return s
    .split(/\n\n+/)
    .map((p) => `<p>${inline(p)}</p>`)
    .join('\n');
}
