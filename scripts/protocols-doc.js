#!/usr/bin/env node
// Writes the generated message reference of each docs/protocols/<gateway>.md
// from the compiled frame schemas and DTOs (`npm run protocols:doc`), or with
// `check` exits 1 when a page is out of date.
require('reflect-metadata');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'src', 'asyncapi');
const { GATEWAY_CONTRACTS } = require(path.join(dist, 'gateway-contracts.js'));
const { buildAsyncApi } = require(path.join(dist, 'asyncapi.document.js'));
const { gatewayMarkdown, replaceGenerated } = require(path.join(dist, 'asyncapi.markdown.js'));

const doc = buildAsyncApi(GATEWAY_CONTRACTS, { publicUrl: 'http://localhost:3000', version: '1', paths: {} });
const stale = [];
for (const c of GATEWAY_CONTRACTS) {
  const file = path.join(__dirname, '..', 'docs', 'protocols', `${c.name}.md`);
  const text = readFileSync(file, 'utf8');
  const next = replaceGenerated(text, gatewayMarkdown(doc, c.name));
  if (next === text) continue;
  if (process.argv[2] === 'check') stale.push(file);
  else writeFileSync(file, next);
}
if (stale.length) {
  console.error(`out of date (run npm run protocols:doc): ${stale.join(', ')}`);
  process.exit(1);
}
