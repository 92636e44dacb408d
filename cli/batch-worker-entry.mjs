// The entry of a sim batch worker thread: a worker starts without the parent's module loader, so
// it registers tsx's own (as bin/medhjalparen.js does) before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./batch-worker.ts');
