/** Waiting for the operator or the end of a run, on the wall clock: an adapter. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Until Ctrl-C (npm may pass it on as SIGTERM too) or `durationS`, however long. */
export function untilStopped(durationS: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const endMs = durationS === undefined ? undefined : performance.now() + durationS * 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // setTimeout holds at most 2^31 − 1 ms (24.8 days; a longer delay fires at once): wait in legs.
    const wait = () => {
      const leftMs = endMs! - performance.now();
      if (leftMs <= 0) return finish();
      timer = setTimeout(wait, Math.min(leftMs, MAX_TIMER_MS));
    };
    if (endMs !== undefined) wait();
    function finish() {
      clearTimeout(timer);
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve();
    }
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}
