import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Image, RosNode } from '../ros/index.js';
import { LIMITS } from '../input/index.js';
import { PerceptionError } from './errors.js';
import { decodeImage, readPerceptionFile, type RgbImage } from './image.js';
import { checkImagePixels } from './png.js';

/**
 * Where frames come from. Every source keeps frames in memory only: nothing is written to disk or
 * streamed anywhere (privacy, issue 5).
 * - image: one PNG or JPEG file, one frame;
 * - video: a video file decoded by ffmpeg;
 * - camera: a V4L2 device (/dev/videoN) read by ffmpeg;
 * - ros: sensor_msgs/msg/Image messages on a topic (rgb8, bgr8, mono8).
 * `width`/`height` ask ffmpeg to scale (one of them alone keeps the aspect ratio).
 */
export type SourceSpec =
  | { kind: 'image'; path: string }
  | {
      kind: 'video';
      path: string;
      width?: number;
      height?: number;
      ffmpegPath?: string;
      /**
       * Deliver frames at the file's own frame rate, as a camera would (a video standing in for
       * the robot's camera); default: as fast as they decode (detect, tests, benchmarks).
       */
      realtime?: boolean;
    }
  | { kind: 'camera'; device: string; width?: number; height?: number; ffmpegPath?: string }
  | {
      kind: 'ros';
      node: RosNode;
      topic: string;
      /** Called for a message that cannot be converted, which is then skipped; without it, iteration throws. */
      onBadFrame?: (err: PerceptionError) => void;
    };

/** `for await (const frame of source)`; `close()` stops the decoder (also done when the loop ends). */
export interface FrameSource extends AsyncIterable<RgbImage> {
  /** The file, device or topic, for messages. */
  readonly name: string;
  close(): Promise<void>;
}

/** A command-line argument as a source: /dev/videoN is a camera, .png/.jpg/.jpeg a still image, else a video. */
export function sourceSpecFromArg(arg: string, scale: { width?: number; height?: number } = {}): SourceSpec {
  if (/^\/dev\/video\d+$/.test(arg)) return { kind: 'camera', device: arg, ...scale };
  if (/\.(png|jpe?g)$/i.test(arg)) return { kind: 'image', path: arg };
  return { kind: 'video', path: arg, ...scale };
}

/**
 * Opens a source. Missing files and cameras, a path that is not a regular file (a video) or a
 * character device (a camera), an image file over its limit and a missing ffmpeg are reported
 * here, at once: IMAGE_MISSING, CAMERA_MISSING, NOT_A_FILE, TOO_LARGE, FFMPEG_MISSING; decoding
 * errors (STREAM_DECODE, TOO_LARGE for a frame, IMAGE_*) come from the iteration.
 */
export function openSource(spec: SourceSpec): FrameSource {
  switch (spec.kind) {
    case 'image':
      if (!existsSync(spec.path)) {
        throw new PerceptionError('IMAGE_MISSING', spec.path, 'no such image file');
      }
      return new StillImageSource(
        spec.path,
        readPerceptionFile(spec.path, 'imageFileBytes', 'IMAGE_MISSING'),
      );
    case 'video':
    case 'camera': {
      const path = spec.kind === 'video' ? spec.path : spec.device;
      if (!existsSync(path)) {
        const what =
          spec.kind === 'video'
            ? 'no such video file'
            : `no such camera device (present: ${listCameras().join(', ') || 'none'})`;
        throw new PerceptionError('CAMERA_MISSING', path, what);
      }
      checkKind(path, spec.kind);
      const ffmpeg = findExecutable(spec.ffmpegPath ?? 'ffmpeg');
      if (ffmpeg === undefined) {
        throw new PerceptionError(
          'FFMPEG_MISSING',
          spec.ffmpegPath ?? 'ffmpeg',
          'ffmpeg is needed to read video files and cameras but was not found: install the Debian package ffmpeg (apt-get install ffmpeg)',
        );
      }
      checkScale(spec.width, 'source.width');
      checkScale(spec.height, 'source.height');
      return new FfmpegSource(ffmpeg, path, spec.kind === 'camera', spec.width, spec.height, {
        realtime: spec.kind === 'video' && spec.realtime === true,
      });
    }
    case 'ros':
      return new RosImageSource(spec.node, spec.topic, spec.onBadFrame);
  }
}

/**
 * A video must be a regular file and a camera a character device: ffmpeg would wait forever on a
 * FIFO with no writer, read /dev/zero or /dev/urandom without end, and fail late on a directory.
 */
function checkKind(path: string, kind: 'video' | 'camera'): void {
  const stat = statSync(path);
  const ok = kind === 'video' ? stat.isFile() : stat.isCharacterDevice();
  if (!ok) {
    const found = stat.isDirectory()
      ? 'a directory'
      : stat.isFile()
        ? 'a regular file'
        : 'a device, FIFO or socket';
    const expected = kind === 'video' ? 'a regular video file' : 'a camera (a character device)';
    throw new PerceptionError('NOT_A_FILE', path, `${path} is ${found}; expected ${expected}`);
  }
}

/** Largest side ffmpeg may be asked to scale to: a square of LIMITS.imagePixels. */
const MAX_SCALE = Math.floor(Math.sqrt(LIMITS.imagePixels.value));

function checkScale(value: number | undefined, where: string): void {
  if (
    value !== undefined &&
    !(Number.isInteger(value) && value >= 2 && value % 2 === 0 && value <= MAX_SCALE)
  ) {
    throw new PerceptionError(
      'CONFIG_INVALID',
      where,
      `expected an even integer from 2 to ${MAX_SCALE}, found ${value}`,
    );
  }
}

function listCameras(): string[] {
  try {
    return readdirSync('/dev')
      .filter((f) => /^video\d+$/.test(f))
      .map((f) => `/dev/${f}`)
      .sort();
  } catch {
    return [];
  }
}

/** `cmd` as an executable path: itself when it has a slash, else the first match on PATH. */
function findExecutable(cmd: string): string | undefined {
  if (cmd.includes('/')) return existsSync(cmd) ? cmd : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

/** One image file, read (bounded) when opened and decoded when iterated. */
class StillImageSource implements FrameSource {
  private closed = false;
  constructor(
    readonly name: string,
    private readonly bytes: Buffer,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RgbImage> {
    if (!this.closed) yield decodeImage(this.bytes, this.name);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Most stderr kept for error messages; ffmpeg's banner and stream list fit well within it. */
const STDERR_KEEP = 16_384;

/**
 * ffmpeg decoding to raw rgb24 on its stdout, cut into frame-sized chunks. The frame size is read
 * from ffmpeg's own description of its output stream (after any scaling), so a camera needs no
 * separate probe that would open the device twice. Sizes are bounded three times: ffmpeg's own
 * decoder refuses frames over LIMITS.imagePixels (-max_pixels) before allocating them, the input
 * stream's declared size is checked as soon as ffmpeg prints it (for a clear TOO_LARGE), and so is
 * the output frame size before a frame's bytes are gathered.
 */
class FfmpegSource implements FrameSource {
  private proc: ChildProcess | undefined;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private width = 0;
  private height = 0;
  private frameBytes = 0;
  private stderr = '';
  private ended = false;
  private closing = false;
  private failure: PerceptionError | undefined;
  private inputChecked = false;
  private frames = 0;
  private wake: (() => void) | undefined;
  private exited: Promise<void> | undefined;

  constructor(
    private readonly ffmpeg: string,
    readonly name: string,
    private readonly camera: boolean,
    private readonly scaleWidth: number | undefined,
    private readonly scaleHeight: number | undefined,
    private readonly options: { realtime: boolean },
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RgbImage> {
    if (this.closing) return;
    this.start();
    try {
      while (!this.closing) {
        const frame = this.takeFrame();
        if (frame) {
          yield frame;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    // Drop our end of the pipe first: an ffmpeg blocked writing a frame we paused on would
    // otherwise never see SIGTERM through (seen with Megamind.avi); with the pipe gone it exits.
    this.proc?.stdout?.destroy();
    if (this.proc && !this.ended) this.proc.kill('SIGTERM');
    this.notify();
    await this.exited;
  }

  private args(): string[] {
    const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info'];
    if (this.camera) args.push('-f', 'v4l2');
    // -re: read the input at its native frame rate (a camera paces itself).
    if (this.options.realtime) args.push('-re');
    // The decoder refuses a frame over the pixel limit instead of allocating it.
    args.push('-max_pixels', String(LIMITS.imagePixels.value));
    args.push('-i', this.name, '-map', '0:v:0', '-an', '-sn');
    if (this.scaleWidth !== undefined || this.scaleHeight !== undefined) {
      // -2: the other side follows the aspect ratio, rounded to an even number.
      args.push('-vf', `scale=${this.scaleWidth ?? -2}:${this.scaleHeight ?? -2}`);
    }
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
    return args;
  }

  private start(): void {
    const proc = spawn(this.ffmpeg, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exited = new Promise<void>((resolve) => {
      proc.on('error', (err: NodeJS.ErrnoException) => {
        this.fail(
          err.code === 'ENOENT'
            ? new PerceptionError(
                'FFMPEG_MISSING',
                this.ffmpeg,
                'cannot run ffmpeg: install the Debian package ffmpeg (apt-get install ffmpeg)',
              )
            : new PerceptionError('STREAM_DECODE', this.name, `cannot run ffmpeg: ${err.message}`),
        );
        this.ended = true;
        this.notify();
        resolve();
      });
      proc.on('close', (code, signal) => {
        this.ended = true;
        if (!this.inputChecked) this.checkInputSize(true);
        if (!this.closing && !this.failure) {
          if (code !== 0) {
            this.fail(
              new PerceptionError(
                'STREAM_DECODE',
                this.name,
                `ffmpeg could not decode the ${this.camera ? 'camera' : 'video'} stream (exit ${code ?? signal}): ${this.stderrTail()}`,
              ),
            );
          } else if (this.frameBytes === 0 && this.buffered > 0) {
            this.fail(
              new PerceptionError(
                'STREAM_DECODE',
                this.name,
                `cannot read the frame size from ffmpeg: ${this.stderrTail()}`,
              ),
            );
          } else if (this.frames === 0 && (this.frameBytes === 0 || this.buffered < this.frameBytes)) {
            this.fail(new PerceptionError('STREAM_DECODE', this.name, 'the stream holds no video frames'));
          }
        }
        this.notify();
        resolve();
      });
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEEP);
      if (!this.inputChecked) this.checkInputSize(false);
      if (this.frameBytes === 0 && !this.failure) this.readFrameSize();
    });
    proc.stdout!.on('data', (chunk: Buffer) => {
      if (this.failure) return;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.frameBytes === 0 && this.buffered > 3 * LIMITS.imagePixels.value) {
        // ffmpeg describes its output before writing it; this much unexplained output is not a frame.
        this.abort(
          new PerceptionError(
            'STREAM_DECODE',
            this.name,
            `ffmpeg wrote ${this.buffered} bytes without describing its output stream`,
          ),
        );
        return;
      }
      // Hold ffmpeg back while two frames wait: a live camera then drops frames in the driver
      // instead of us queueing stale ones.
      if (this.frameBytes > 0 && this.buffered >= 2 * this.frameBytes) proc.stdout!.pause();
      this.notify();
    });
  }

  /**
   * The size the input's video stream declares (`Input #0, … Stream #0:0: Video: h264 (…), yuv420p,
   * 1920x1080, …`), against the pixel limit: ffmpeg's decoder refuses it anyway (-max_pixels), and
   * this says why. `final`: ffmpeg has exited, so a missing line will not come.
   */
  private checkInputSize(final: boolean): void {
    const input = this.stderr.indexOf('Input #0');
    const output = this.stderr.indexOf('Output #0');
    const section = input < 0 ? '' : this.stderr.slice(input, output > input ? output : undefined);
    // ffmpeg's own refusal (-max_pixels) can leave the stream line without a size; it names it.
    const m =
      /Picture size (\d+)x(\d+) exceeds specified max pixel count/.exec(this.stderr) ??
      /Stream #0:\d+[^\n]*?: Video: [^\n]*?, (\d+)x(\d+)\b/.exec(section);
    if (!m && !final && output < 0) return;
    this.inputChecked = true;
    if (!m) return;
    try {
      checkImagePixels(
        Number(m[1]),
        Number(m[2]),
        this.name,
        `the ${this.camera ? 'camera' : 'video'} stream`,
      );
    } catch (err) {
      this.abort(err as PerceptionError);
    }
  }

  /** ffmpeg prints its output stream as `Stream #0:0: Video: rawvideo (…), rgb24(…), 768x576, …`. */
  private readFrameSize(): void {
    const out = this.stderr.indexOf('Output #0');
    if (out < 0) return;
    const m = /Video: rawvideo[^\n]*?, (\d{1,5})x(\d{1,5})\b/.exec(this.stderr.slice(out));
    if (!m) return;
    try {
      checkImagePixels(Number(m[1]), Number(m[2]), this.name, "ffmpeg's output frame");
    } catch (err) {
      this.abort(err as PerceptionError);
      return;
    }
    this.width = Number(m[1]);
    this.height = Number(m[2]);
    this.frameBytes = this.width * this.height * 3;
    this.notify();
  }

  /** Fails the source with `err`, drops what was buffered and stops ffmpeg. */
  private abort(err: PerceptionError): void {
    this.fail(err);
    this.chunks.length = 0;
    this.buffered = 0;
    if (!this.ended) this.proc?.kill('SIGKILL');
    this.notify();
  }

  private takeFrame(): RgbImage | undefined {
    if (this.frameBytes === 0 || this.buffered < this.frameBytes) return undefined;
    const data = new Uint8Array(this.frameBytes);
    let filled = 0;
    while (filled < this.frameBytes) {
      const head = this.chunks[0]!;
      const n = Math.min(head.length, this.frameBytes - filled);
      data.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    this.buffered -= this.frameBytes;
    this.frames++;
    if (this.buffered < 2 * this.frameBytes) this.proc?.stdout?.resume();
    return { width: this.width, height: this.height, data };
  }

  private fail(err: PerceptionError): void {
    this.failure ??= err;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The last lines of ffmpeg's stderr: the reason it gave up. */
  private stderrTail(): string {
    return this.stderr.trim().split('\n').slice(-3).join(' | ');
  }
}

const BYTES_PER_PIXEL: Record<string, number> = { rgb8: 3, bgr8: 3, mono8: 1 };

/**
 * Converts a sensor_msgs/msg/Image (rgb8, bgr8 or mono8, rows possibly padded to `step`) into a new
 * packed RGB frame. `where` (the topic) goes into errors: IMAGE_ENCODING for other encodings,
 * IMAGE_SHAPE when sizes and data disagree.
 */
export function imageMessageToRgb(msg: Image, where: string): RgbImage {
  const bpp = BYTES_PER_PIXEL[msg.encoding];
  if (bpp === undefined) {
    throw new PerceptionError(
      'IMAGE_ENCODING',
      where,
      `expected encoding rgb8, bgr8 or mono8, found '${msg.encoding}'`,
    );
  }
  const { width, height, step, data } = msg;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new PerceptionError(
      'IMAGE_SHAPE',
      where,
      `expected a positive width and height, found ${width}×${height}`,
    );
  }
  if (!(Number.isInteger(step) && step >= width * bpp)) {
    throw new PerceptionError(
      'IMAGE_SHAPE',
      where,
      `expected step ≥ width × ${bpp} = ${width * bpp} bytes for ${msg.encoding}, found ${step}`,
    );
  }
  if (data.length !== step * height) {
    throw new PerceptionError(
      'IMAGE_SHAPE',
      where,
      `expected step × height = ${step * height} bytes of data, found ${data.length}`,
    );
  }
  const out = new Uint8Array(width * height * 3);
  if (msg.encoding === 'rgb8' && step === width * 3) {
    out.set(data);
    return { width, height, data: out };
  }
  for (let y = 0; y < height; y++) {
    let i = y * step;
    let o = y * width * 3;
    if (msg.encoding === 'rgb8') {
      out.set(data.subarray(i, i + width * 3), o);
    } else if (msg.encoding === 'bgr8') {
      for (let x = 0; x < width; x++, i += 3, o += 3) {
        out[o] = data[i + 2]!;
        out[o + 1] = data[i + 1]!;
        out[o + 2] = data[i]!;
      }
    } else {
      for (let x = 0; x < width; x++, i++, o += 3) {
        const v = data[i]!;
        out[o] = v;
        out[o + 1] = v;
        out[o + 2] = v;
      }
    }
  }
  return { width, height, data: out };
}

/**
 * sensor_msgs/msg/Image on a topic. Only the newest unread message is kept: a detector slower than
 * the camera works on fresh frames instead of falling ever further behind. Conversion happens when
 * a frame is taken, so skipped messages cost nothing.
 */
class RosImageSource implements FrameSource {
  private latest: Image | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  /** Messages replaced by a newer one before they were read. */
  dropped = 0;

  constructor(
    node: RosNode,
    readonly name: string,
    private readonly onBadFrame: ((err: PerceptionError) => void) | undefined,
  ) {
    node.createSubscription('sensor_msgs/msg/Image', name, (msg) => {
      if (this.closed) return;
      if (this.latest) this.dropped++;
      this.latest = msg;
      this.notify();
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RgbImage> {
    while (!this.closed) {
      const msg = this.latest;
      if (msg === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.latest = undefined;
      let frame: RgbImage;
      try {
        frame = imageMessageToRgb(msg, this.name);
      } catch (err) {
        if (!(err instanceof PerceptionError) || !this.onBadFrame) throw err;
        this.onBadFrame(err);
        continue;
      }
      yield frame;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.latest = undefined;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
