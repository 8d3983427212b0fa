import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from '../support/ws-client';

/** A real 1×1 PNG and the first bytes of a JPEG and a WebP: the server decides by these bytes. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 1), Buffer.from([0xff, 0xd9])]);
export const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(32, 2)]);

export interface Upload {
  bytes: Buffer;
  name?: string;
  type?: string;
}

/** A multipart body: text fields, and the file in `image` (or another field). */
export function form(fields: Record<string, string | number | undefined>, image?: Upload, field = 'image'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) f.append(k, String(v));
  if (image) f.append(field, new Blob([new Uint8Array(image.bytes)], { type: image.type ?? 'image/png' }), image.name ?? 'face.png');
  return f;
}

export const isEvent =
  (event: string, match: (data: any) => boolean = () => true) =>
  (f: Frame) =>
    f.event === event && match(f.data);

type Kind = 'number' | 'string' | 'number|null' | 'string|null' | 'array' | 'iso' | 'iso|null' | 'url' | 'url|null';

/** Checks a frame's data has exactly these fields with these types (the seed's shape). */
export function assertShape(data: Record<string, unknown>, shape: Record<string, Kind>, what = 'frame data'): void {
  assert.deepEqual(Object.keys(data).sort(), Object.keys(shape).sort(), `${what}: fields`);
  for (const [key, kind] of Object.entries(shape)) {
    const v = data[key];
    const nullable = kind.endsWith('|null');
    if (nullable && v === null) continue;
    const base = kind.replace('|null', '');
    if (base === 'array') assert.ok(Array.isArray(v), `${what}.${key} is an array`);
    else if (base === 'iso') assert.ok(typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v), `${what}.${key} is an ISO UTC timestamp, got ${JSON.stringify(v)}`);
    else if (base === 'url')
      assert.ok(
        typeof v === 'string' && /^https?:\/\/[^/]+\/api\/attendance\/images\/[a-z_]+\/[0-9a-f]{32}\.(jpg|png|webp)\?expires=\d+&signature=[\w-]{43}$/.test(v),
        `${what}.${key} is an absolute signed image URL, got ${JSON.stringify(v)}`,
      );
    else assert.equal(typeof v, base, `${what}.${key} is a ${base}, got ${JSON.stringify(v)}`);
  }
}

export const CLIENT_SHAPE = {
  id: 'number',
  first_seen: 'iso|null',
  last_seen: 'iso|null',
  visit_count: 'number',
  gender: 'string',
  age: 'number|null',
  image: 'url|null',
  visit_histories: 'array',
} as const;

export const VISIT_SHAPE = { datetime: 'iso', device_id: 'string', client: 'number' } as const;

export const EMPLOYEE_SHAPE = {
  id: 'number',
  first_name: 'string',
  last_name: 'string',
  email: 'string|null',
  phone_number: 'string|null',
  image: 'url|null',
  working_graphic: 'number|null',
} as const;

export const ATTENDANCE_SHAPE = { employee_id: 'number', device_id: 'string', image: 'url|null', datetime: 'iso', score: 'number' } as const;

/** The path of an image URL, without its signature. */
export const pathOf = (url: string) => new URL(url).pathname;

/** Every file under a media root, as `folder/name`. */
export function storedFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).map((f) => `${d.name}/${f}`))
    .sort();
}
