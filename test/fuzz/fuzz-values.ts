import fc from 'fast-check';

/**
 * Building blocks of the fuzz suites: hostile JSON values, and frames or
 * bodies serialized with JSON text that JSON.stringify cannot produce
 * (numbers past a double, nesting thousands deep).
 */

/** JSON text to splice into a serialized value as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes RawJson values verbatim. */
export function serialize(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `__raw_${raws.length - 1}__`;
    }
    return v;
  });
  if (text === undefined) return 'undefined';
  return raws.length ? text.replace(/"__raw_(\d+)__"/g, (_m, i) => raws[Number(i)]) : text;
}

/** Number literals at and past the edges of int4, int8, double and the calendar. */
export const hugeNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(2147483647, 2147483648, -2147483649, 4294967296, 9007199254740991, 1e20, 1e308, -1e308, 5e-324, -0, 0.5, -1, 0, 8.64e15 + 1),
  fc.constantFrom('9007199254740993', '99999999999999999999', '1e400', '-1e400', '1E+999', '123456789012345678901234567890', '0.0000000000000000000000000001').map((t) => new RawJson(t)),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((b) => new RawJson(b.toString())),
);

/** Nesting deep enough to hurt a recursive walker, small enough to stay under the frame limit. */
export const deepValue = (maxDepth: number): fc.Arbitrary<RawJson> =>
  fc.tuple(fc.integer({ min: 1, max: maxDepth }), fc.constantFrom('array', 'object', 'mixed')).map(([n, kind]) => {
    if (kind === 'array') return new RawJson('['.repeat(n) + ']'.repeat(n));
    if (kind === 'object') return new RawJson('{"a":'.repeat(Math.ceil(n / 4)) + '1' + '}'.repeat(Math.ceil(n / 4)));
    return new RawJson('[{"a":'.repeat(Math.ceil(n / 6)) + 'null' + '}]'.repeat(Math.ceil(n / 6)));
  });

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e\u0000\u0007\u001b[31m',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    "'; DROP TABLE users; --",
    '../../../../etc/passwd',
    '%00%2e%2e%2f',
    '2024-13-45',
    '2024-02-30',
    '0000-00-00',
    '9999-12-31T23:59:60Z',
    '25:61',
    '00000000-0000-0000-0000-000000000000',
    'not-a-uuid',
    'NaN',
    'Infinity',
    '__proto__',
    'constructor',
    'Bearer ',
    'Mời khách hàng số 1 đến quầy 2',
    '😀'.repeat(50),
    '\ud800',
  ),
  fc.integer({ min: 100, max: 5_000 }).map((n) => 'x'.repeat(n)),
);

/** Anything a hostile client might put where a field is expected. */
export const weirdValue = (maxDepth = 4000): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: weirdString },
    { weight: 3, arbitrary: hugeNumber },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }) },
    { weight: 1, arbitrary: deepValue(maxDepth) },
    { weight: 1, arbitrary: fc.array(weirdString, { maxLength: 5 }) },
  );

/** A value of the shape a template holds, or a hostile replacement. */
export type Mutation =
  { kind: 'valid' } | { kind: 'drop'; key: number } | { kind: 'replace'; key: number; value: unknown } | { kind: 'extra'; name: string; value: unknown } | { kind: 'whole'; value: unknown };

export const mutation = (maxDepth = 4000): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'valid' }) },
    { weight: 2, arbitrary: fc.nat().map((key): Mutation => ({ kind: 'drop', key })) },
    { weight: 5, arbitrary: fc.tuple(fc.nat(), weirdValue(maxDepth)).map(([key, value]): Mutation => ({ kind: 'replace', key, value })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.oneof(weirdString, fc.constantFrom('__proto__', 'constructor', 'prototype')), weirdValue(maxDepth)).map(([name, value]): Mutation => ({ kind: 'extra', name, value })),
    },
    { weight: 1, arbitrary: weirdValue(maxDepth).map((value): Mutation => ({ kind: 'whole', value })) },
  );

/** Applies a mutation to a plain object (a message payload, a request body). */
export function mutate(base: Record<string, unknown>, m: Mutation): unknown {
  const keys = Object.keys(base);
  switch (m.kind) {
    case 'valid':
      return base;
    case 'drop': {
      if (!keys.length) return base;
      const copy = { ...base };
      delete copy[keys[m.key % keys.length]];
      return copy;
    }
    case 'replace':
      if (!keys.length) return { value: m.value };
      return { ...base, [keys[m.key % keys.length]]: m.value };
    case 'extra': {
      const copy = { ...base };
      Object.defineProperty(copy, m.name, { value: m.value, enumerable: true, configurable: true, writable: true });
      return copy;
    }
    case 'whole':
      return m.value;
  }
}

/** How many generated cases a suite runs: FUZZ_RUNS overrides the CI default. */
export function fuzzRuns(ciDefault: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ciDefault;
}

/** FUZZ_SEED replays a failing run that fast-check reported. */
export function fuzzSeed(): number | undefined {
  const n = Number(process.env.FUZZ_SEED);
  return process.env.FUZZ_SEED && Number.isInteger(n) ? n : undefined;
}
