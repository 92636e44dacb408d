// A sim batch worker that dies on purpose, for the pool's tests: on a job with seed 13 it calls
// process.exit (the thread ends mid-job), on seed 14 it throws an uncaught error while the job
// runs; any other job runs as on the real worker. The real worker is loaded first, so its
// listener is on the port before any job is delivered (a job delivered to this listener alone
// would never be answered).
import { setImmediate } from 'node:timers';
import { parentPort } from 'node:worker_threads';

await import('../../cli/batch-worker-entry.mjs');
parentPort.on('message', ({ job }) => {
  if (job.seed === 13) process.exit(7);
  if (job.seed === 14)
    setImmediate(() => {
      throw new Error('injected failure in the worker');
    });
});
