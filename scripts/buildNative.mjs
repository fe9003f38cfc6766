#!/usr/bin/env node
// Builds the hardware helper (native/build/hwhelper) with `make -C native`.
// Runs as npm's postinstall step and never fails the install: without a C
// compiler or make, it prints why and the hub uses its Node-only sampler.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const result = spawnSync('make', ['-C', path.join(root, 'native')], { stdio: 'inherit' });

if (result.error) {
  console.warn(`buildNative: could not run make (${result.error.message}); the hub will sample CPU and memory from Node only.`);
} else if (result.status !== 0) {
  console.warn(`buildNative: make -C native failed with exit code ${result.status}; see the output above. The hub will sample CPU and memory from Node only.`);
} else {
  console.log('buildNative: built native/build/hwhelper');
}
process.exit(0);
