import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonLimitViolation } from '../../src/common/json-limits';

const limits = { maxDepth: 4, maxArrayLength: 3 };
const nest = (levels: number): unknown => (levels <= 1 ? [] : [nest(levels - 1)]);

describe('JSON depth and width limits', () => {
  it('accepts values at the limits and scalars', () => {
    for (const ok of [null, 1, 'text', true, {}, nest(4), { a: { b: { c: [1, 2, 3] } } }]) assert.equal(jsonLimitViolation(ok, limits), null, JSON.stringify(ok));
  });

  it('names the first excess: one level too deep, one item too many', () => {
    assert.match(jsonLimitViolation(nest(5), limits) ?? '', /deeper than 4 levels/);
    assert.match(jsonLimitViolation({ a: { b: { c: { d: {} } } } }, limits) ?? '', /deeper than 4 levels/);
    assert.match(jsonLimitViolation({ list: [1, 2, 3, 4] }, limits) ?? '', /more than 3 items/);
  });

  it('stops early on a value nested far deeper than any stack would take', () => {
    const huge = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000));
    assert.match(jsonLimitViolation(huge, { maxDepth: 32, maxArrayLength: 1000 }) ?? '', /deeper than 32/);
  });
});
