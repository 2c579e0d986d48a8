import net from 'node:net';
import tls from 'node:tls';
import { encodeCommands, helloCommands, type RedisAddress } from '../../lib/redis-wire.js';
import { RedisReplyError, ReplyParser } from './resp.js';

/** A batch written, waiting for its replies (they come back in the order the batches were written). */
interface InFlight {
  replies: unknown[];
  count: number;
  resolve: (replies: unknown[]) => void;
  reject: (err: Error) => void;
}

/**
 * One connection to a Redis for pipelined reads (docs/decisions/039): `send` writes a batch of commands at once
 * and resolves with their replies, error replies included as RedisReplyError values. Connects on first use
 * (AUTH and SELECT first when the URL asks for them), and again after a failure; a connection that gives no
 * byte for `timeoutMs` while batches wait is dropped and those batches fail — the caller falls back.
 */
export class RedisSocket {
  #socket: net.Socket | undefined;
  /** The socket being set up (its AUTH and SELECT in flight). */
  #opening: net.Socket | undefined;
  #connecting: Promise<net.Socket> | undefined;
  #inFlight: InFlight[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #parser = new ReplyParser((reply) => this.#onReply(reply));

  constructor(
    private readonly target: RedisAddress,
    private readonly timeoutMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  async send(commands: ReadonlyArray<readonly string[]>): Promise<unknown[]> {
    if (commands.length === 0) return [];
    const socket = await this.#connected();
    return this.#write(socket, encodeCommands(commands), commands.length);
  }

  close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#connecting = undefined;
    this.#failAll(new Error("the connection to CRS's Redis was closed"));
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }

  #write(socket: net.Socket, payload: string, count: number): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.#inFlight.push({ replies: [], count, resolve, reject });
      this.#arm();
      socket.write(payload);
    });
  }

  #connected(): Promise<net.Socket> {
    if (this.#socket) return Promise.resolve(this.#socket);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<net.Socket> {
    const { host, port } = this.target;
    const socket = this.target.tls ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    socket.setNoDelay(true);
    this.#opening = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      socket.once(this.target.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    socket.on('data', (chunk: Buffer) => {
      this.#arm();
      try {
        this.#parser.feed(chunk);
      } catch (e) {
        this.#drop(socket, e as Error);
      }
    });
    socket.on('error', (err) => this.#drop(socket, err));
    socket.on('close', () => this.#drop(socket, new Error("connection to CRS's Redis closed")));
    const hello = helloCommands(this.target);
    if (hello.length) {
      const replies = await this.#write(socket, encodeCommands(hello), hello.length);
      const failed = replies.find((r) => r instanceof RedisReplyError);
      if (failed) {
        socket.destroy();
        throw failed;
      }
    }
    this.#opening = undefined;
    this.#socket = socket;
    return socket;
  }

  #onReply(reply: unknown): void {
    const head = this.#inFlight[0];
    if (!head) return;
    head.replies.push(reply);
    if (head.replies.length < head.count) return;
    this.#inFlight.shift();
    this.#arm();
    head.resolve(head.replies);
  }

  /** Times the wait for the next byte while batches wait; stops when none does. */
  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#inFlight.length === 0) return;
    const socket = this.#socket ?? this.#opening;
    this.#timer = setTimeout(() => {
      const err = new Error(`no answer from CRS's Redis within ${this.timeoutMs} ms`);
      if (socket) this.#drop(socket, err);
      else this.#failAll(err);
    }, this.timeoutMs);
  }

  #drop(socket: net.Socket, err: Error): void {
    socket.destroy();
    // An earlier connection's late events: it was dealt with when it was dropped.
    if (socket !== this.#socket && socket !== this.#opening) return;
    this.#socket = undefined;
    this.#opening = undefined;
    this.#parser.reset();
    if (this.#inFlight.length) this.onError(err);
    this.#failAll(err);
  }

  #failAll(err: Error): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const b of this.#inFlight.splice(0)) b.reject(err);
  }
}
