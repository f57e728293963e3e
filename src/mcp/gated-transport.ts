import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * Methods the server answers from what it holds at start: the handshake and the listings. Any
 * other message (a tool call, a resource read) may reach the cluster.
 */
const ANSWERED_AT_START = new Set(['initialize', 'ping', 'tools/list', 'resources/templates/list', 'prompts/list', 'logging/setLevel']);

function answeredAtStart(message: JSONRPCMessage): boolean {
  if (!('method' in message)) return false;
  return ANSWERED_AT_START.has(message.method) || message.method.startsWith('notifications/');
}

/**
 * A transport that lets the server answer the handshake and `tools/list` before `ready()` (loading
 * the Kubernetes client, reading the kubeconfig: most of the server's start-up) has run. `ready()`
 * starts once the first tools/list is answered, or on the first message that may need the
 * cluster, whichever comes first; from that message on, every message waits for it and is
 * delivered in order. A failed `ready()` is reported once through `onerror`, and the messages that
 * waited for it are dropped.
 */
export class GatedTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;
  readonly #inner: Transport;
  readonly #ready: () => Promise<void>;
  #loaded: Promise<void> | undefined;
  #holding = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #toolLists = new Set<RequestId>();

  constructor(inner: Transport, ready: () => Promise<void>) {
    this.#inner = inner;
    this.#ready = ready;
    inner.onmessage = (message, extra) => this.#receive(message, extra);
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
  }

  #load(): Promise<void> {
    if (this.#loaded === undefined) {
      this.#loaded = this.#ready();
      this.#loaded.catch((err: unknown) => this.onerror?.(err instanceof Error ? err : new Error(String(err))));
    }
    return this.#loaded;
  }

  #receive(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    const deliver = (): void => this.onmessage?.(message, extra);
    if (!this.#holding && answeredAtStart(message)) {
      if ('id' in message && 'method' in message && message.method === 'tools/list') this.#toolLists.add(message.id);
      deliver();
      return;
    }
    this.#holding = true;
    const loaded = this.#load();
    this.#queue = this.#queue.then(() => loaded).then(deliver, () => undefined);
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  start(): Promise<void> {
    return this.#inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    await this.#inner.send(message, options);
    // The tools are listed: load the cluster side now, while the client reads them, so that the
    // first call does not wait for it and a broken kubeconfig shows at once.
    if ('id' in message && !('method' in message) && message.id !== undefined && this.#toolLists.delete(message.id)) setImmediate(() => void this.#load().catch(() => undefined));
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
