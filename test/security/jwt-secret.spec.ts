import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TestApp, TestDatabase } from '../support/test-app';

function sign(claims: object, secret: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

describe('security: the JWT secret when JWT_SECRET is unset', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'sb-secret-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('makes a random secret on first start, keeps it in DATA_DIR (0600) and reuses it after a restart', async () => {
    const database = await TestDatabase.create();
    // On PostgreSQL DATA_DIR holds only the secret.
    const dataDir = database.env.DATA_DIR ?? join(scratch, 'data');
    const env = { JWT_SECRET: '', DATA_DIR: dataDir };
    const first = await TestApp.start({ database, env });
    const file = join(dataDir, 'jwt-secret');
    const secret = readFileSync(file, 'utf8').trim();
    assert.ok(secret.length >= 32);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const token = first.adminToken;
    const admin = (await first.http('GET', '/api/users/me', { token })).body;
    await first.stop({ keepDatabase: true });

    const second = await TestApp.start({ database, env });
    try {
      assert.equal(readFileSync(file, 'utf8').trim(), secret, 'the same secret after a restart');
      assert.equal((await second.http('GET', '/api/users/me', { token })).status, 200, 'a token of the first start still works');
      // A token signed with the constant that .env.example once printed is refused.
      const now = Math.floor(Date.now() / 1000);
      const forged = sign({ sub: admin.id, typ: 'access', role: 'admin', fam: admin.family_id, jti: 'x', iat: now, exp: now + 600 }, 'dev-only-secret-change-me-0123456789');
      assert.equal((await second.http('GET', '/api/users', { token: forged })).status, 401);
      // Signed with the real secret but without an expiry: refused too.
      const forever = sign({ sub: admin.id, typ: 'access', role: 'admin', fam: admin.family_id, jti: 'y', iat: now }, secret);
      assert.equal((await second.http('GET', '/api/users', { token: forever })).status, 401);
      const proper = sign({ sub: admin.id, typ: 'access', role: 'admin', fam: admin.family_id, jti: 'z', iat: now, exp: now + 600 }, secret);
      assert.equal((await second.http('GET', '/api/users', { token: proper })).status, 200, 'the same claims with an expiry pass: the test forges correctly');
    } finally {
      await second.stop();
      await database.destroy();
    }
  });
});
