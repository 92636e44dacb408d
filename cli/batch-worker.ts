/**
 * A worker thread of `sim batch` (started through batch-worker-entry.mjs, which sets up the
 * TypeScript loader): runs each job it is sent and answers with its outcome (sim/batch/pool.ts).
 * Sites are read once per thread and shared by its jobs.
 */
import { parentPort } from 'node:worker_threads';
import type { Site } from '../src/map/index.js';
import type { BatchJob } from '../sim/batch/jobs.js';
import type { BatchOutcome } from '../sim/batch/outcome.js';
import type { JobReply } from '../sim/batch/pool.js';
import { runBatchJob } from './batch-job.js';

const port = parentPort;
if (!port) throw new Error('cli/batch-worker.ts runs in a worker thread of sim batch');

const sites = new Map<string, Promise<Site>>();

port.on('message', (message: { job: BatchJob }) => {
  void runBatchJob(message.job, sites).then((result) => {
    const reply: JobReply<BatchOutcome> = { index: message.job.index, result };
    port.postMessage(reply);
  });
});
