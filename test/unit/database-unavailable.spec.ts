import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from '../../src/common/database-unavailable';

describe('which database errors answer 503 rather than 500', () => {
  it('counts a transaction whose connection was released under it (the COMMIT after the server went away)', () => {
    assert.equal(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError()), true);
    assert.equal(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError()), true);
  });

  it('counts refused connections and PostgreSQL shutdown states, also when wrapped', () => {
    assert.equal(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })), true);
    const shutdown = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    assert.equal(isDatabaseUnavailable(shutdown), true);
    assert.equal(isDatabaseUnavailable(new Error('outer', { cause: new Error('Connection terminated unexpectedly') })), true);
  });

  it('leaves real faults as faults', () => {
    const notNull = new QueryFailedError('INSERT', [], Object.assign(new Error('null value in column "consent"'), { code: '23502' }));
    assert.equal(isDatabaseUnavailable(notNull), false);
    assert.equal(isDatabaseUnavailable(new TypeError('x is undefined')), false);
    assert.equal(isDatabaseUnavailable(undefined), false);
  });
});
