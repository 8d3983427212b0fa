import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';

/** Every class exported by a DTO module of the compiled service (`dto/` folders and `*.dto.js`). */
function dtoClasses(): Array<{ name: string; file: string }> {
  const root = join(__dirname, '..', '..', 'src');
  const found: Array<{ name: string; file: string }> = [];
  (function walk(dir: string) {
    for (const entry of readdirSync(dir)) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith('.js') && (p.includes('/dto/') || entry.endsWith('.dto.js'))) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- every compiled DTO module, found at run time
        for (const value of Object.values(require(p) as Record<string, unknown>)) {
          if (typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value))) found.push({ name: value.name, file: p.slice(root.length + 1) });
        }
      }
    }
  })(root);
  return found;
}

describe('OpenAPI schema names', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('gives every DTO class its own name, so no schema in /docs-json stands for two classes', async () => {
    const classes = dtoClasses();
    assert.ok(classes.length > 50, `found ${classes.length} DTO classes`);
    const byName = new Map<string, string[]>();
    for (const c of classes) byName.set(c.name, [...(byName.get(c.name) ?? []), c.file]);
    const shared = [...byName].filter(([, files]) => new Set(files).size > 1);
    assert.deepEqual(shared, [], 'DTO class names used by more than one class');

    const doc = (await t.http('GET', '/docs-json')).body;
    const schemas = Object.keys(doc.components.schemas);
    const unknown = schemas.filter((s) => !byName.has(s) && !s.startsWith('Partial'));
    // Schemas that are not DTO classes would escape the check above; keep them visible.
    assert.deepEqual(unknown, [], 'schemas in /docs-json that no DTO class declares');
  });

  it('documents each schedules body with its own schema', async () => {
    const doc = (await t.http('GET', '/docs-json')).body;
    const bodyOf = (path: string, method: string) => {
      const ref: string = doc.paths[path][method].requestBody.content['application/json'].schema.$ref;
      return doc.components.schemas[ref.split('/').pop()!];
    };
    assert.ok(bodyOf('/api/schedules', 'post').properties.employee_id, 'employee schedules take an employee');
    assert.equal(bodyOf('/api/schedules', 'post').properties.days_of_week, undefined);
    assert.ok(bodyOf('/api/bells/schedules', 'post').properties.days_of_week, 'bell schedules take days of the week');
    assert.ok(bodyOf('/api/schedules/{id}', 'patch').properties.shift_id);
    assert.ok(bodyOf('/api/bells/schedules/{id}', 'patch').properties.days_of_week);
  });
});
