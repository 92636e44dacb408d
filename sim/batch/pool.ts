/**
 * A pool of worker threads that runs indexed jobs and hands back one result per job, in the
 * jobs' order whatever order they finish in. A worker takes the next job as soon as it answers
 * the last. A worker that dies (an uncaught error, process.exit, out of memory) fails only the
 * job it held, with the reason, and the pool goes on with a new worker; so a job is tried once
 * and the batch always ends. Stopping (the signal) terminates every worker at once; the jobs
 * they held and the ones never started are reported as not run.
 *
 * The protocol: the pool posts `{ job }`; the worker answers `{ index, result }` (JobReply).
 */
import { Worker } from 'node:worker_threads';

export interface PoolJob {
  index: number;
}

/** A worker's answer to one job. */
export interface JobReply<R> {
  index: number;
  result: R;
}

export interface PoolOptions<J extends PoolJob, R> {
  /** The worker's entry module (it must answer every `{ job }` with a JobReply). */
  workerUrl: URL;
  workers: number;
  /** The result of a job that has none: its worker died ('error'), or the pool stopped ('not_run'). */
  failed: (job: J, kind: 'error' | 'not_run', reason: string) => R;
  signal?: AbortSignal;
  /** Each result as it arrives (progress lines). */
  onResult?: (job: J, result: R) => void;
}

export function runPool<J extends PoolJob, R>(jobs: readonly J[], options: PoolOptions<J, R>): Promise<R[]> {
  return new Promise((resolve) => new Pool(jobs, options, resolve).start());
}

class Pool<J extends PoolJob, R> {
  readonly #results = new Map<number, R>();
  readonly #live = new Set<Worker>();
  #next = 0;
  #stopped = false;

  constructor(
    readonly jobs: readonly J[],
    readonly options: PoolOptions<J, R>,
    readonly resolve: (results: R[]) => void,
  ) {}

  start(): void {
    const { signal } = this.options;
    if (signal?.aborted) return this.#stop();
    signal?.addEventListener('abort', () => this.#stop(), { once: true });
    const count = Math.max(1, Math.min(this.options.workers, this.jobs.length));
    for (let i = 0; i < count; i++) this.#spawn();
    this.#maybeDone();
  }

  #spawn(): void {
    if (this.#stopped || this.#next >= this.jobs.length) return;
    // No execArgv of ours: the entry sets up what it needs (the TypeScript loader) itself, so a
    // worker is the same under the CLI, vitest and the benchmark.
    const worker = new Worker(this.options.workerUrl, { execArgv: [] });
    this.#live.add(worker);
    let held: J | undefined;
    let crash: string | undefined;
    const give = () => {
      held = this.#stopped ? undefined : this.jobs[this.#next];
      if (held === undefined) return void worker.terminate();
      this.#next++;
      worker.postMessage({ job: held });
    };
    worker.on('message', (reply: JobReply<R>) => {
      if (held === undefined || reply.index !== held.index) return;
      this.#settle(held, reply.result);
      give();
    });
    worker.on('error', (e) => (crash = e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => {
      this.#live.delete(worker);
      if (held !== undefined && !this.#stopped) {
        const why = crash ? `its worker failed: ${crash}` : `its worker exited with code ${code}`;
        this.#settle(held, this.options.failed(held, 'error', `the run failed: ${why}`));
        this.#spawn();
      }
      this.#maybeDone();
    });
    give();
  }

  #settle(job: J, result: R): void {
    this.#results.set(job.index, result);
    this.options.onResult?.(job, result);
  }

  #stop(): void {
    this.#stopped = true;
    for (const worker of this.#live) void worker.terminate();
    this.#maybeDone();
  }

  #maybeDone(): void {
    if (this.#live.size > 0) return;
    if (!this.#stopped && this.#next < this.jobs.length) return;
    const why = 'not run: the batch was interrupted (Ctrl-C)';
    this.resolve(this.jobs.map((j) => this.#results.get(j.index) ?? this.options.failed(j, 'not_run', why)));
  }
}
