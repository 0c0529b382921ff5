/**
 * Links the start of an HTTP request to its end: the agent's (request id, start time) stored on
 * the object both channel messages carry (the server's response, the client's request), as
 * private class fields. (fetch.ts keeps a WeakMap: undici's request objects are its own, and a
 * fetch costs far more than the lookups.)
 *
 * Why not a WeakMap keyed by that object (what the agent did first): with Node's response
 * objects as keys, V8 gives each key an identity hash, shrinks and rehashes the table as entries
 * go, and the GC walks every live entry as an ephemeron. Measured on Node 20: set + get + delete
 * on fresh ServerResponse keys cost about 0.7 µs per request alone, and replacing the WeakMap by
 * these fields cut the agent's main-thread cost per request by about 0.16 µs
 * (bench/agent/micro.mjs).
 *
 * Why private fields rather than a symbol-keyed property: they are invisible to the app. No
 * key, symbol or descriptor shows in `Object.keys`, `Reflect.ownKeys`, `for...in`, JSON,
 * `util.inspect` or a Proxy's traps, and no other library can read or clash with them; they go
 * away with the object. They are added by a base class whose constructor returns its argument
 * (the "return override": `new Mark(o)` runs Mark's field initializers on `o` itself). The object
 * gains one hidden-class transition, like any property Node itself sets per request. Adding them
 * to an object that cannot take them throws, which the agent's guard swallows (the request is
 * then not recorded).
 *
 * A server request is marked on its socket rather than its response when it can be: a
 * keep-alive socket serves its requests one after the other, so its fields are added once per
 * connection and then only rewritten, where marking each response costs a construction, an
 * out-of-object property array and a second `#id in` check per request (about 200 instructions
 * in all, callgrind). The socket's mark names the response it belongs to, so a finish takes it
 * only for that response; a request pipelined behind one still running (the socket's mark is
 * taken) is marked on its response as before.
 */
class ReturnsItsArgument {
  constructor(o: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the return override is the point
    return o;
  }
}

class Mark extends ReturnsItsArgument {
  #id = 0;
  #startMs = 0;

  static set(o: object, id: number, startMs: number): void {
    if (!(#id in o)) new Mark(o);
    const m = o as Mark;
    m.#id = id;
    m.#startMs = startMs;
  }

  static id(o: object): number {
    return #id in o ? (o as Mark).#id : 0;
  }

  static startMs(o: object): number {
    return (o as Mark).#startMs;
  }

  static clear(o: object): void {
    (o as Mark).#id = 0;
  }
}

class SocketMark extends ReturnsItsArgument {
  #res: object | null = null;
  #id = 0;
  #startMs = 0;

  static start(socket: object, res: object, id: number, startMs: number): boolean {
    if (!(#res in socket)) new SocketMark(socket);
    const m = socket as SocketMark;
    // Taken: by a request still running (this one is pipelined behind it), or by one whose
    // finish the agent did not see (it was disabled meanwhile), which is let go.
    if (m.#res !== null && (m.#res as { writableFinished?: unknown }).writableFinished !== true) return false;
    m.#res = res;
    m.#id = id;
    m.#startMs = startMs;
    return true;
  }

  static holds(socket: object, res: object): boolean {
    // Reading a field the socket does not have throws: only when its first start was not seen.
    try {
      return (socket as SocketMark).#res === res;
    } catch {
      return false;
    }
  }

  static id(socket: object): number {
    return (socket as SocketMark).#id;
  }

  static startMs(socket: object): number {
    return (socket as SocketMark).#startMs;
  }

  static clear(socket: object): void {
    (socket as SocketMark).#res = null;
  }
}

/**
 * Marks the start of the request answered by `res` on `socket`: false when the socket's mark
 * is taken by an earlier request still running (pipelining), then mark `res` itself.
 */
export const markSocketStart: (socket: object, res: object, id: number, startMs: number) => boolean = SocketMark.start;
/** Whether `socket`'s mark is `res`'s (then read it with socketMarkedId/StartMs, end it with clearSocketMark). */
export const socketMarkHolds: (socket: object, res: object) => boolean = SocketMark.holds;
/** The request id of the socket's mark (only after `socketMarkHolds`). */
export const socketMarkedId: (socket: object) => number = SocketMark.id;
/** The start time of the socket's mark (only after `socketMarkHolds`). */
export const socketMarkedStartMs: (socket: object) => number = SocketMark.startMs;
/** Frees the socket's mark for its next request (and lets its response go). */
export const clearSocketMark: (socket: object) => void = SocketMark.clear;

/** Marks `o` as started: request `id` at `startMs` (`performance.now()`). */
export const markStart: (o: object, id: number, startMs: number) => void = Mark.set;
/** The request id marked on `o`, 0 when it has none (its start was not seen) or it was cleared. */
export const markedId: (o: object) => number = Mark.id;
/** The start time marked on `o` (only after `markedId(o)` returned an id). */
export const markedStartMs: (o: object) => number = Mark.startMs;
/** Ends the mark: `markedId(o)` is 0 from now on, so an end is recorded once. */
export const clearMark: (o: object) => void = Mark.clear;
