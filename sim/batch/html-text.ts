/**
 * Text into the HTML report: every string from a file (scenario names, requests, reasons) goes
 * through `esc`, so a scenario called `<script>` is shown, never run or parsed as markup.
 */
import { showControls } from '../../src/input/index.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` safe in element content and in quoted attribute values; control characters shown. */
export function esc(text: string): string {
  return showControls(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A number for SVG coordinates: centimetres are plenty, and short text keeps the file small. */
export function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}
