import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { TestApp } from '../support/test-app';

describe('security: login throttle', () => {
  let t: TestApp;
  let checks = 0;
  before(async () => {
    t = await TestApp.start({ env: { TRUST_PROXY: 'true', LOGIN_ATTEMPTS_PER_ACCOUNT: '10', LOGIN_ATTEMPTS_PER_IP: '30' } });
    const hasher = t.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    hasher.verify = (password: string, hash: string | null) => {
      checks++;
      return verify(password, hash);
    };
  });
  after(() => t.stop());

  const login = (from: string, email: string, password: string) => t.http('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': from } });

  it('40 parallel wrong passwords for one account get no more real checks than the limit', async () => {
    const user = await t.newUser({ role: 'member' });
    checks = 0;
    const results = await Promise.all(Array.from({ length: 40 }, () => login('203.0.113.1', user.email, 'wrong-password')));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 30);
    assert.equal(checks, 10, 'password checks');
    // The attacker's address stays refused for this account, even with the right password …
    const blocked = await login('203.0.113.1', user.email, user.password);
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    // … but the account is not locked: its owner signs in from another address.
    assert.equal((await login('198.51.100.7', user.email, user.password)).status, 200);
  });

  it('60 parallel attempts from one address pass no more than the per-address limit', async () => {
    checks = 0;
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => login('203.0.113.2', `nobody${i}@example.com`, 'wrong-password')));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 30, statuses.join(','));
    assert.equal(checks, 30);
    // Another address is not affected.
    const user = await t.newUser({ role: 'member' });
    assert.equal((await login('203.0.113.3', user.email, user.password)).status, 200);
  });

  it('a right password gives back its place: signing in often from one address never runs into the limit', async () => {
    const user = await t.newUser({ role: 'member' });
    for (let i = 0; i < 35; i++) assert.equal((await login('203.0.113.4', user.email, user.password)).status, 200);
  });

  it('slows an account down after many failures from many addresses, without locking it', async () => {
    const user = await t.newUser({ role: 'member' });
    for (let i = 0; i < 12; i++) assert.equal((await login(`192.0.2.${i + 1}`, user.email, 'wrong-password')).status, 401);
    const started = Date.now();
    assert.equal((await login('192.0.2.200', user.email, user.password)).status, 200);
    assert.ok(Date.now() - started >= 900, 'the 13th attempt waited (250 ms doubled twice)');
    // The right password cleared the failures: no delay any more.
    const again = Date.now();
    assert.equal((await login('192.0.2.201', user.email, user.password)).status, 200);
    assert.ok(Date.now() - again < 900);
  });
});
