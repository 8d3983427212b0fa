import type { JsonSchema } from '../realtime/dto-schema';
import { fields } from './asyncapi.html';

const BEGIN = '<!-- generated:messages -->';
const END = '<!-- /generated:messages -->';

/**
 * The message reference of one gateway in docs/protocols/, in Markdown, from
 * the same AsyncAPI document the server serves (`npm run protocols:doc`
 * writes it between the markers; a test fails when it is out of date).
 */
export function gatewayMarkdown(doc: JsonSchema, gateway: string): string {
  const channel = (doc.channels as Record<string, any>)[gateway];
  const messages = (doc.components as { messages: Record<string, any> }).messages;
  const list = (dir: 'in' | 'out') =>
    Object.entries(channel.messages as Record<string, { $ref: string }>)
      .filter(([k]) => k.startsWith(`${dir}.`))
      .map(([, ref]) => messages[ref.$ref.split('/').pop()!]);
  const section = (title: string, items: any[]) => {
    if (!items.length) return `### ${title}\n\nNone.\n`;
    return `### ${title}\n\n${items.map(message).join('\n')}`;
  };
  const closes = (channel['x-close-codes'] as Array<{ code: number; meaning: string }>).map((c) => `| ${c.code} | ${cell(c.meaning)} |`).join('\n');
  return [
    BEGIN,
    '<!-- Written by `npm run protocols:doc` from the frame schemas and DTOs; edit those, not this block. -->',
    '',
    section('Client → server', list('in')),
    section('Server → client', list('out')),
    '### Close codes\n',
    '| code | meaning |\n|---|---|',
    closes,
    '',
    END,
  ].join('\n');
}

function message(m: { name: string; summary: string; description?: string; payload: JsonSchema }): string {
  const rows = fields(m.payload, '', true).map((f) => `| \`${f.path}\` | ${cell(f.type)} | ${f.required ? 'yes' : ''} | ${cell(f.description)} |`);
  return [
    `#### \`${m.name}\`\n`,
    `${m.summary}${m.description ? ` ${m.description}` : ''}\n`,
    rows.length ? `| field | type | required | meaning |\n|---|---|---|---|\n${rows.join('\n')}\n` : '',
  ].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `text` with its generated block replaced (or appended when it has none). */
export function replaceGenerated(text: string, block: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < 0) return `${text.trimEnd()}\n\n${block}\n`;
  return text.slice(0, start) + block + text.slice(end + END.length);
}
