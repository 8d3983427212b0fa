import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchLoader } from '../../src/common/batch-loader';

describe('BatchLoader', () => {
  it('reads every key asked for in one turn with one load, each key once, in chunks', async () => {
    const loads: string[][] = [];
    const loader = new BatchLoader<string, number>(async (keys) => (loads.push(keys), new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]))), 3);
    const got = await Promise.all(['a', 'bb', 'a', 'ccc', 'dddd', 'missing'].map((k) => loader.get(k)));
    assert.deepEqual(got, [1, 2, 1, 3, 4, undefined]);
    assert.deepEqual(loads, [
      ['a', 'bb', 'ccc'],
      ['dddd', 'missing'],
    ]);
    // A later turn is a new batch.
    assert.equal(await loader.get('ee'), 2);
    assert.deepEqual(loads[2], ['ee']);
  });

  it('gathers the keys asked for while a load runs into the next load', async () => {
    const loads: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const loader = new BatchLoader<string, string>(async (keys) => {
      loads.push(keys);
      if (loads.length === 1) await gate;
      return new Map(keys.map((k) => [k, k]));
    });
    const first = loader.get('a');
    await new Promise((r) => setImmediate(r));
    const later = ['b', 'c', 'd'].map((k) => loader.get(k));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(loads, [['a']], 'nothing more is read while the first load runs');
    release();
    assert.deepEqual(await Promise.all([first, ...later]), ['a', 'b', 'c', 'd']);
    assert.deepEqual(loads, [['a'], ['b', 'c', 'd']]);
  });

  it('fails only the keys of the chunk whose load failed', async () => {
    const loader = new BatchLoader<string, string>(async (keys) => {
      if (keys.includes('bad')) throw new Error('load failed');
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    }, 2);
    const results = await Promise.allSettled(['ok', 'fine', 'bad', 'x'].map((k) => loader.get(k)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      ['OK', 'FINE', 'load failed', 'load failed'],
    );
  });
});
