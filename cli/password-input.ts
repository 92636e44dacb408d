/**
 * A password from whoever runs the command: typed at the terminal with echo off (asked twice when
 * it is a new one), or the first line of stdin when stdin is a pipe or a file (scripts,
 * provisioning). Never from an argument: those show in `ps` and stay in shell history.
 */

/** Generous above the longest password allowed (256 characters, up to 4 bytes each). */
const MAX_LINE_BYTES = 4096;

export class PasswordInputError extends Error {}

export interface PasswordPrompt {
  /** Shown before the password, e.g. "Password for anna: ". */
  prompt: string;
  /** Ask a second time and require the same (setting a password, not checking one). */
  confirm?: string;
}

export async function readPassword(ask: PasswordPrompt): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return readFirstLine(stdin);
  const first = await readHidden(stdin, ask.prompt);
  if (ask.confirm === undefined) return first;
  const second = await readHidden(stdin, ask.confirm);
  if (first !== second) throw new PasswordInputError('the two passwords differ; nothing was changed');
  return first;
}

/** One line of a pipe or file, without its line ending. */
function readFirstLine(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: () => string) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.destroy();
      try {
        resolve(result());
      } catch (error) {
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(0x0a);
      if (newline >= 0) finish(() => lineOf(all.subarray(0, newline)));
      else if (size > MAX_LINE_BYTES)
        finish(() => {
          throw new PasswordInputError(`the first line of stdin is longer than ${MAX_LINE_BYTES} bytes`);
        });
    };
    const onEnd = () => finish(() => lineOf(Buffer.concat(chunks)));
    const onError = (error: Error) =>
      finish(() => {
        throw new PasswordInputError(`cannot read the password from stdin (${error.message})`);
      });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

function lineOf(bytes: Buffer): string {
  const line = bytes.toString('utf8').replace(/\r$/, '');
  if (line === '')
    throw new PasswordInputError(
      'no password on stdin: pipe it as one line, or run the command in a terminal to be asked for it',
    );
  return line;
}

/** Reads a line at the terminal with echo off; Backspace and Ctrl-U edit, Ctrl-C and Ctrl-D cancel. */
function readHidden(stdin: NodeJS.ReadStream, prompt: string): Promise<string> {
  // Echo off before the prompt shows: whatever is typed after it is never echoed.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  process.stderr.write(prompt);
  let text = '';
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004')
          return done(new PasswordInputError('cancelled; nothing was changed'));
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch === '\u0015') text = '';
        else if (ch >= ' ') text += ch;
        if (text.length > MAX_LINE_BYTES)
          return done(new PasswordInputError(`a password has at most a few hundred characters`));
      }
    };
    stdin.on('data', onData);
  });
}
