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

/** Marks `o` as started: request `id` at `startMs` (`performance.now()`). */
export const markStart: (o: object, id: number, startMs: number) => void = Mark.set;
/** The request id marked on `o`, 0 when it has none (its start was not seen) or it was cleared. */
export const markedId: (o: object) => number = Mark.id;
/** The start time marked on `o` (only after `markedId(o)` returned an id). */
export const markedStartMs: (o: object) => number = Mark.startMs;
/** Ends the mark: `markedId(o)` is 0 from now on, so an end is recorded once. */
export const clearMark: (o: object) => void = Mark.clear;
