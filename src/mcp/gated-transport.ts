import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

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
 * A transport that holds back every message from the first one that may reach the cluster on,
 * until `ready()` (loading the Kubernetes client, reading the kubeconfig) has finished, then
 * delivers them in order. The handshake and `tools/list` do not wait: a client sees the tools
 * without paying for the Kubernetes client, which is most of the server's start-up.
 */
export class GatedTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;
  readonly #inner: Transport;
  readonly #ready: () => Promise<void>;
  #held: Promise<void> | undefined;

  constructor(inner: Transport, ready: () => Promise<void>) {
    this.#inner = inner;
    this.#ready = ready;
    inner.onmessage = (message, extra) => this.#receive(message, extra);
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
  }

  #receive(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    const deliver = (): void => this.onmessage?.(message, extra);
    if (this.#held === undefined && answeredAtStart(message)) {
      deliver();
      return;
    }
    // ready() runs once, on the first message that needs it; later messages queue behind it.
    this.#held = (this.#held ?? this.#ready()).then(deliver);
    this.#held.catch((err: unknown) => this.onerror?.(err instanceof Error ? err : new Error(String(err))));
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  start(): Promise<void> {
    return this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.#inner.send(message, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
