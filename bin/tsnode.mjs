#!/usr/bin/env node
// Runs a TypeScript file of this repository under plain Node: `node bin/tsnode.mjs FILE [ARGS]`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bin/tsnode.mjs FILE.ts [ARGS...]');
  process.exit(2);
}
process.argv.splice(2, 1);
register();
await import(pathToFileURL(path.resolve(file)).href);
