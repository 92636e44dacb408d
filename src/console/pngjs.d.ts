// pngjs ships no types; this is the part of its API the console uses (PNG.sync.write; read in its tests).
declare module 'pngjs' {
  export interface PNGOptions {
    width: number;
    height: number;
    colorType?: 0 | 2 | 4 | 6;
    inputColorType?: 0 | 2 | 4 | 6;
    bitDepth?: 8 | 16;
    inputHasAlpha?: boolean;
  }
  export class PNG {
    constructor(options: PNGOptions);
    width: number;
    height: number;
    data: Buffer;
    static sync: { write(png: PNG, options?: Partial<PNGOptions>): Buffer; read(data: Buffer): PNG };
  }
}
