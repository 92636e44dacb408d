/**
 * Chunk compression for MCAP files: zstd both ways, from the WebAssembly build @mcap/support
 * decompresses with (@foxglove/wasm-zstd, a direct dependency at the version @mcap/support uses):
 * @mcap/support exports only the decompressors, and one zstd build reads and writes.
 */
import { createRequire } from 'node:module';
import type { DecompressHandlers } from '@mcap/core';
import { loadDecompressHandlers } from '@mcap/support';

interface WasmZstd {
  isLoaded: Promise<boolean>;
  compress(buffer: Uint8Array, compressionLevel?: number): Uint8Array;
}

export type CompressChunk = (chunk: Uint8Array) => { compression: string; compressedData: Uint8Array };

let zstd: Promise<WasmZstd> | undefined;

function loadZstd(): Promise<WasmZstd> {
  zstd ??= (async () => {
    const mod = createRequire(import.meta.url)('@foxglove/wasm-zstd') as WasmZstd;
    await mod.isLoaded;
    return mod;
  })();
  return zstd;
}

/**
 * McapWriter's `compressChunk`: zstd at `level` (3, zstd's default, compresses a robot's topics
 * about 4× at a few hundred MB/s; higher levels cost the control loop's thread more).
 */
export async function zstdChunkCompressor(level = 3): Promise<CompressChunk> {
  const z = await loadZstd();
  return (chunk) => ({ compression: 'zstd', compressedData: z.compress(chunk, level) });
}

/** zstd, lz4 and bz2, as @mcap/support gives them (what any MCAP file may use). */
export function decompressHandlers(): Promise<DecompressHandlers> {
  return loadDecompressHandlers();
}
