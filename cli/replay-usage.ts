/** The usage of `replay`, apart from the command so that `--help` loads no recording code. */
export const REPLAY_USAGE = `usage: medhjalparen replay <file.mcap> [--rate N | --fast] [--site DIR] [--log-level L]
  plays a recording (sim run --record, run --record) back: the guide mission, the customer follow,
  the safety gate and the navigator run again on the recorded inputs, and their decisions (the
  mission's states, reasons and destinations) are compared with the recorded ones; prints where
  they first differ and exits 1 if they do. --rate N: N times real time (default 1); --fast: as
  fast as possible; --site: the recorded site's folder (default: where it was recorded). A file
  cut short is replayed as far as it was recovered, saying what was lost.`;
