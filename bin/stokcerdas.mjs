#!/usr/bin/env node
// Plain JS entry so `npx stokcerdas` works without a build step: register tsx, then run the TS CLI.
import { register } from 'tsx/esm/api';

register();
await import('../runtime/cli.ts');
