import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import '../../src/app.module';
import { RegisterClientDto } from '../../src/queue/dto/ws.dto';
import { fastValidate } from '../../src/common/validation-fast-path';
import { createValidationPipe } from '../../src/common/validation.pipe';

/**
 * The validation shortcut against class-validator's full path, on every DTO
 * class of the application and thousands of generated values: whenever the
 * shortcut answers, the full path accepts the same value and builds the same
 * instance. (It may always decline; it may never differ.)
 */

// Loads the rules the app's pipe adds (integer bounds) and the metadata cache, as at start-up.
createValidationPipe();
const full = new ValidationPipe({ whitelist: true, transform: true, forbidUnknownValues: false });

const POOL: unknown[] = [
  null,
  '',
  ' ',
  'a',
  'tv',
  'officer',
  'admin',
  'open',
  'paused',
  'closed',
  'A',
  'A012',
  'x'.repeat(101),
  'y'.repeat(300),
  'Bearer abc',
  '2026-12-07',
  '2026-02-30',
  '2026-12-07T10:00:00Z',
  '08:30',
  '25:00',
  'vi',
  'en',
  'MALE',
  'pending',
  'approved',
  '123e4567-e89b-12d3-a456-426614174000',
  'user@example.com',
  '#ff0000',
  0,
  1,
  2,
  7,
  -1,
  2.5,
  59,
  100,
  3_000_000_000,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  {},
  [],
  ['a'],
  { a: 1 },
];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function ownProps(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o));
}

async function fullPath(metatype: new () => object, value: object): Promise<object | Error> {
  try {
    return (await full.transform(structuredClone(value), { type: 'body', metatype })) as object;
  } catch (err) {
    return err as Error;
  }
}

describe('validation shortcut', () => {
  it('takes the shortcut for a valid seed REGISTER_CLIENT and builds the instance the full path builds', async () => {
    const value = { client_type: 'tv', client_id: 'hall-tv-1', location: 'Hall A', extra: 'dropped' };
    const fast = fastValidate(RegisterClientDto, value);
    assert.ok(fast instanceof RegisterClientDto, 'the shortcut answers');
    const slow = await fullPath(RegisterClientDto, value);
    assert.deepEqual(ownProps(fast), ownProps(slow));
    assert.equal(Object.hasOwn(fast, 'extra'), false, 'unknown fields are dropped, as whitelist does');
  });

  it('declines what it should not decide: a failing rule, a nested value, a value that is not a plain object', () => {
    assert.equal(fastValidate(RegisterClientDto, { client_type: 'tv', client_id: '' }), null);
    assert.equal(fastValidate(RegisterClientDto, { client_type: 'tv', client_id: { $ne: 1 } }), null);
    assert.equal(fastValidate(RegisterClientDto, [{ client_type: 'tv', client_id: 'a' }]), null);
    assert.equal(fastValidate(RegisterClientDto, 'text'), null);
  });

  it('never differs from class-validator on any DTO of the application', async () => {
    const targets = [...(getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown[]> }).validationMetadatas.keys()].filter(
      (t): t is new () => object => typeof t === 'function' && t.length === 0,
    );
    assert.ok(targets.length > 50, `found ${targets.length} DTO classes`);
    const next = random(20261207);
    let answered = 0;
    const classesAnswered = new Set<string>();
    for (const target of targets) {
      const props = [
        ...new Set(
          getMetadataStorage()
            .getTargetValidationMetadatas(target, undefined as unknown as string, false, false)
            .map((m) => m.propertyName),
        ),
      ];
      for (let round = 0; round < 150; round++) {
        const value: Record<string, unknown> = {};
        for (const p of props) if (next() < 0.8) value[p] = POOL[Math.floor(next() * POOL.length)];
        if (next() < 0.2) value.unknown_field = 'x';
        const fast = fastValidate(target, structuredClone(value));
        if (!fast) continue;
        answered++;
        classesAnswered.add(target.name);
        const slow = await fullPath(target, value);
        assert.ok(!(slow instanceof Error), `${target.name}: the shortcut accepted ${JSON.stringify(value)}, the full path refused it: ${String(slow)}`);
        assert.equal(fast.constructor, slow.constructor, target.name);
        assert.deepEqual(ownProps(fast), ownProps(slow), `${target.name} ${JSON.stringify(value)}`);
      }
    }
    assert.ok(answered > 200 && classesAnswered.size > 20, `the shortcut answered ${answered} values of ${classesAnswered.size} classes`);
  });
});
