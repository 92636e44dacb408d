/**
 * The page's one WebSocket: live state in, teleop out. 'state' messages carry only what changed;
 * they are merged into one LiveState here, so the screens always read a whole picture. A dropped
 * connection is retried with a growing delay (the server stops the robot's teleop on its side).
 */
import type { ClientMessage, LiveState, MapImage, ServerMessage } from '../../protocol.js';

export interface LiveHandlers {
  state?(state: Partial<LiveState>, changed: Partial<LiveState>): void;
  map?(map: MapImage): void;
  say?(message: Extract<ServerMessage, { type: 'say' }>): void;
  log?(message: Extract<ServerMessage, { type: 'log' }>): void;
  hello?(message: Extract<ServerMessage, { type: 'hello' }>): void;
  error?(message: Extract<ServerMessage, { type: 'error' }>): void;
  connection?(open: boolean): void;
}

export class LiveConnection {
  readonly state: Partial<LiveState> = {};
  private socket: WebSocket | undefined;
  private retryMs = 500;
  private closedByUs = false;

  constructor(
    private readonly path: string,
    private readonly handlers: LiveHandlers,
  ) {}

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    this.closedByUs = false;
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${this.path}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = 500;
      this.handlers.connection?.(true);
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.handlers.connection?.(false);
      if (this.closedByUs) return;
      // The page's own retry timer: a browser has only the wall clock.
      window.setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 8000);
    });
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.close();
    this.socket = undefined;
  }

  send(message: ClientMessage): boolean {
    if (!this.open) return false;
    this.socket!.send(JSON.stringify(message));
    return true;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'state':
        Object.assign(this.state, message.state);
        this.handlers.state?.(this.state, message.state);
        break;
      case 'map':
        this.handlers.map?.(message.map);
        break;
      case 'say':
        this.handlers.say?.(message);
        break;
      case 'log':
        this.handlers.log?.(message);
        break;
      case 'hello':
        this.handlers.hello?.(message);
        break;
      case 'error':
        this.handlers.error?.(message);
        break;
    }
  }
}
