/**
 * The robot's voice on the kiosk: plays the WAV of each phrase of this kiosk's own request, one
 * after another, unless the customer muted it.
 */
export class Voice {
  private muted = false;
  private readonly queue: string[] = [];
  private playing = false;

  constructor(
    private readonly audio: HTMLAudioElement,
    private readonly toggle: HTMLButtonElement,
  ) {
    toggle.addEventListener('click', () => {
      this.muted = !this.muted;
      toggle.setAttribute('aria-pressed', String(this.muted));
      if (this.muted) this.stop();
    });
    audio.addEventListener('ended', () => this.next());
    audio.addEventListener('error', () => this.next());
  }

  /** The toggle's label in the screen's language; pressed means muted. */
  label(sound: string): void {
    this.toggle.textContent = sound;
    this.toggle.setAttribute('aria-pressed', String(this.muted));
  }

  /** Called from the customer's own tap, so the browser lets later phrases play. */
  unlock(): void {
    this.audio.muted = false;
  }

  play(url: string | undefined): void {
    if (url === undefined || this.muted || !url.startsWith('/speech/')) return;
    if (this.queue.length < 8) this.queue.push(url);
    if (!this.playing) this.next();
  }

  stop(): void {
    this.queue.length = 0;
    this.audio.pause();
    this.playing = false;
  }

  private next(): void {
    const url = this.queue.shift();
    this.playing = url !== undefined;
    if (url === undefined) return;
    this.audio.src = url;
    this.audio.dataset.played = String(Number(this.audio.dataset.played ?? '0') + 1);
    this.audio.play().catch(() => this.next());
  }
}
