// Records every module the process loads, for tests that check what a command pulls in: start
// the process with `node --import ./test/support/record-imports.mjs …` and RECORD_IMPORTS=<file>.
import { register } from 'node:module';

register(new URL('./record-imports-hooks.mjs', import.meta.url), {
  data: { file: process.env.RECORD_IMPORTS },
});
