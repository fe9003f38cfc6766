#!/usr/bin/env node
// Entry point of the `mlops-hub` command. The CLI is TypeScript, run through
// tsx's loader so that a checkout works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli/index.ts');
