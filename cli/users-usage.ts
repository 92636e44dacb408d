/** The `users` command's usage, apart from the command so that `help` loads no database or hashing code. */
export const DEFAULT_DATA_DIR = './data';

/** The data folder when --data is not given: as `run` finds it (MEDHJALPAREN_DATA, else ./data). */
export function defaultDataDir(): string {
  return process.env['MEDHJALPAREN_DATA'] || DEFAULT_DATA_DIR;
}

export const USERS_USAGE = `  medhjalparen users add NAME --role viewer|operator|admin [--data DIR]
  medhjalparen users list [--data DIR]
  medhjalparen users remove NAME [--data DIR]
  medhjalparen users password NAME [--data DIR]
      the console's operator accounts, in DIR/console.sqlite (default ${DEFAULT_DATA_DIR}, or
      MEDHJALPAREN_DATA as for run); the password is typed when asked (twice, not shown), or
      piped on stdin as one line; never an argument
`;
