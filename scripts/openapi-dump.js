#!/usr/bin/env node
// Writes the OpenAPI document of the compiled app (dist/src) as sorted JSON, to
// compare documents across builds: `node scripts/openapi-dump.js out.json`.
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { createApp } = require(path.join(__dirname, '..', 'dist', 'src', 'bootstrap.js'));

const silent = { log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };

function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted(value[k])]),
    );
  return value;
}

(async () => {
  const { app } = await createApp({ env: { ...process.env, DATA_DIR: 'memory://', PORT: '0' }, logger: silent });
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = app.getHttpServer().address();
    const res = await fetch(`http://127.0.0.1:${port}/docs-json`);
    if (!res.ok) throw new Error(`/docs-json answered ${res.status}`);
    const text = JSON.stringify(sorted(await res.json()), null, 2) + '\n';
    if (process.argv[2]) writeFileSync(process.argv[2], text);
    else process.stdout.write(text);
  } finally {
    await app.close();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
