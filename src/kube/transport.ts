import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { ApiException } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { TimeoutError } from '../core/errors.ts';
import type { RecordedRequest } from './request-counter.ts';

export type Query = Readonly<Record<string, string | undefined>>;

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: { text: string; type: string };
  /** Default `application/json`. */
  accept?: string;
  signal?: AbortSignal;
  /**
   * A request whose socket stays silent this long fails with a TimeoutError (default 60 s, the
   * API server's own default request timeout); 0 for none (a watch keeps its own).
   */
  idleTimeoutMs?: number;
}

export interface TransportOptions {
  /** Sees every request before it is sent (the request counter of tests and benchmarks). */
  onRequest?: (request: RecordedRequest) => void;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** What a pooled connection was opened with: a new client certificate needs new connections. */
interface TlsIdentity {
  ca: Buffer | undefined;
  cert: Buffer | undefined;
  key: Buffer | undefined;
  rejectUnauthorized: boolean | undefined;
  servername: string | undefined;
}

/**
 * Requests to the API server over Node's own http/https modules, with the credentials
 * client-node's KubeConfig works out (`applyToHTTPSOptions`: certificates, bearer and exec-plugin
 * tokens, impersonation, proxies). client-node sends through undici's fetch, and its KubeConfig
 * module imports undici, ~950 KB of JavaScript that compiles an HTTP parser to WebAssembly on
 * first use: the operator's few kinds of request do not need it, and Node's http client parses in
 * native code (docs/benchmarks.md, Footprint). One keep-alive pool per TLS identity, as client-go
 * keeps one transport per TLS configuration.
 */
export class KubeTransport {
  readonly #kc: KubeConfig;
  readonly #onRequest: ((request: RecordedRequest) => void) | undefined;
  #pool: { agent: http.Agent; identity: TlsIdentity } | undefined;

  constructor(kc: KubeConfig, options: TransportOptions = {}) {
    this.#kc = kc;
    this.#onRequest = options.onRequest;
  }

  /** The current cluster's server URL, without a trailing slash. */
  server(): string {
    const server = this.#kc.getCurrentCluster()?.server;
    if (server === undefined) throw new Error('The kubeconfig has no current cluster');
    return server.replace(/\/+$/, '');
  }

  /**
   * Sends the request; resolves with the response once its headers have arrived, whatever its
   * status. The caller reads the body (or destroys it).
   */
  async open(req: KubeRequest): Promise<IncomingMessage> {
    const url = new URL(`${this.server()}${req.path}`);
    for (const [name, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    this.#onRequest?.({ method: req.method, path: url.pathname });
    const options: https.RequestOptions = {};
    await this.#kc.applyToHTTPSOptions(options);
    // client-node only ever sets headers as an object (Authorization, Impersonate-User).
    const headers: OutgoingHttpHeaders = { ...(options.headers as OutgoingHttpHeaders | undefined), Accept: req.accept ?? 'application/json' };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.body.type;
      headers['Content-Length'] = Buffer.byteLength(req.body.text);
    }
    const plain = url.protocol === 'http:';
    const agent = this.#kc.getCurrentCluster()?.proxyUrl ? options.agent : this.#agent(options, plain);
    const idleMs = req.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = (plain ? http : https).request(
        url,
        { method: req.method, headers, agent, ...(options.auth !== undefined ? { auth: options.auth } : {}), ...(req.signal !== undefined ? { signal: req.signal } : {}) },
        resolve,
      );
      request.on('error', reject);
      if (idleMs > 0) {
        request.setTimeout(idleMs, () => request.destroy(new TimeoutError(`${req.method} ${url.pathname}: no answer from the API server for ${idleMs / 1000} s`)));
      }
      request.end(req.body?.text);
    });
  }

  /** The whole body as text; a status outside 2xx throws ApiException (src/kube/api-errors.ts reads it). */
  async text(req: KubeRequest): Promise<string> {
    const response = await this.open(req);
    const text = await readText(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      throw new ApiException(status, `${req.method} ${req.path} answered ${status}`, text, flatHeaders(response));
    }
    return text;
  }

  #agent(options: https.RequestOptions, plain: boolean): http.Agent {
    const identity: TlsIdentity = {
      ca: asBuffer(options.ca),
      cert: asBuffer(options.cert),
      key: asBuffer(options.key),
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    };
    if (this.#pool !== undefined && sameIdentity(this.#pool.identity, identity)) return this.#pool.agent;
    // A rotated certificate (exec plugins may hand out a new one at any time) gets a new pool; the
    // old one's connections close when the API server drops them, in-flight watches included.
    const agent = plain
      ? new http.Agent({ keepAlive: true })
      : new https.Agent({
          keepAlive: true,
          ...(identity.ca !== undefined ? { ca: identity.ca } : {}),
          ...(identity.cert !== undefined ? { cert: identity.cert } : {}),
          ...(identity.key !== undefined ? { key: identity.key } : {}),
          ...(identity.rejectUnauthorized !== undefined ? { rejectUnauthorized: identity.rejectUnauthorized } : {}),
          ...(identity.servername !== undefined ? { servername: identity.servername } : {}),
        });
    this.#pool = { agent, identity };
    return agent;
  }
}

/**
 * Reads a response body as UTF-8 text, decoding chunk by chunk (no second copy as bytes). The
 * stream is pulled, not listened to: a listener's closure kept each list's whole text alive for as
 * long as Node held on to the finished response (9 MB at 1000 rule sets).
 */
export async function readText(response: IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  try {
    for await (const chunk of response) text += chunk as string;
  } catch (err) {
    const premature = (err as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE';
    throw premature ? new Error('The API server closed the connection before the answer was complete', { cause: err }) : err;
  }
  return text;
}

function flatHeaders(response: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function asBuffer(value: unknown): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  throw new Error('Only one CA, certificate and key per kubeconfig user are supported');
}

function sameBuffer(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

function sameIdentity(a: TlsIdentity, b: TlsIdentity): boolean {
  return sameBuffer(a.ca, b.ca) && sameBuffer(a.cert, b.cert) && sameBuffer(a.key, b.key) && a.rejectUnauthorized === b.rejectUnauthorized && a.servername === b.servername;
}
