/**
 * `source.text.dmesg`: reads Linux kernel ring buffer lines (`dmesg` output)
 * from a file or standard input. Each non-blank line becomes one `string`
 * event with payload `{ str }`; a `[SEC.USEC]` (or `[Y-M-D H:M:S.MSEC]`)
 * prefix becomes the event's time on a 1 GHz clock whose origin is unknown
 * (boot time), as babeltrace2 2.0.4's dmesg.c does.
 *
 * Where it differs from babeltrace2 2.0.4 (which gives untimestamped lines
 * time 0 once a clock exists, so the muxer fails, and drops every timestamp
 * when the first line has none): when any line has a timestamp, every line
 * has one. A line without a timestamp takes the previous line's time; lines
 * before the first timestamped line take that line's time (they are held
 * back until it is read, or until the end of the input). Input with no
 * timestamp at all, or `no-extract-timestamp=yes`, gives a stream without a
 * clock, as babeltrace2 does.
 *
 * It is not auto-discovered (no support-info query), as in babeltrace2.
 */
import { Buffer } from "node:buffer";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { TtngError } from "@ttng/base";
import {
  type ClockSnapshot,
  type ComponentClass,
  type ComponentContext,
  type IrClockClass,
  type IrEventClass,
  type IrStream,
  type IrStreamClass,
  type IrTrace,
  type IterStatus,
  type MapValue,
  Message,
  type MessageIterator,
  MessageKind,
  newTraceClassId,
  type SourceComponent,
} from "@ttng/graph";

const ACTOR = "source.text.dmesg";
const BATCH = 256;
const TWO32 = 4294967296;

interface Params {
  path: string | undefined;
  noTimestamp: boolean;
}

function parseParams(p: MapValue): Params {
  for (const k of p.entries.keys()) {
    if (k !== "path" && k !== "no-extract-timestamp")
      throw new TtngError("ERR_PARAMS", `Error validating parameters: unexpected key \`${k}\`.`, { actor: ACTOR });
  }
  const path = p.entries.get("path");
  if (path !== undefined && path.type !== "string")
    throw new TtngError("ERR_PARAMS", "Error validating parameters: `path` has wrong type: expecting a string.", {
      actor: ACTOR,
    });
  const nt = p.entries.get("no-extract-timestamp");
  if (nt !== undefined && nt.type !== "bool")
    throw new TtngError(
      "ERR_PARAMS",
      "Error validating parameters: `no-extract-timestamp` has wrong type: expecting a boolean.",
      { actor: ACTOR },
    );
  return { path: path?.value as string | undefined, noTimestamp: nt?.value === true };
}

/** A parsed line: the text after the timestamp prefix, and its time. */
interface Line {
  text: string;
  /** The time on the 1 GHz clock; undefined: no timestamp prefix. */
  cs: ClockSnapshot | undefined;
}

// C's isspace() in the "C" locale.
const BLANK = /^[ \t\n\v\f\r]*$/;
// sscanf("[%lu.%lu] "): %lu skips leading white space.
const TS_UPTIME = /^\[[ \t\n\v\f\r]*\+?(\d+)\.[ \t\n\v\f\r]*\+?(\d+)/;
// sscanf("[%u-%u-%u %u:%u:%lu.%lu] "): date and time (UTC) with milliseconds.
const TS_DATE = /^\[\s*\+?(\d+)-\s*\+?(\d+)-\s*\+?(\d+)\s+\+?(\d+):\s*\+?(\d+):\s*\+?(\d+)\.\s*\+?(\d+)/;

/** A clock snapshot of `ns` nanoseconds on a 1 GHz clock with no offset (`ns` wraps at 2^64 as in C). */
function snapshotOfNs(sec: number, subNs: number): ClockSnapshot {
  // Exact while sec * 1e9 + subNs stays below 2^53 (104 days); beyond, use exact integer arithmetic.
  const total = sec * 1e9 + subNs;
  if (Number.isSafeInteger(total) && total >= 0) {
    const s = Math.floor(total / 1e9);
    return { cyclesHi: Math.floor(total / TWO32), cyclesLo: total % TWO32, s, ns: total - s * 1e9 };
  }
  const big = BigInt.asUintN(64, BigInt(sec) * 1000000000n + BigInt(subNs));
  return {
    cyclesHi: Number(big >> 32n),
    cyclesLo: Number(big & 0xffffffffn),
    s: Number(big / 1000000000n),
    ns: Number(big % 1000000000n),
  };
}

/** babeltrace2's create_init_event_msg_from_line(): the time prefix, if any, and the rest of the line. */
function parseLine(line: string, extract: boolean): Line {
  if (extract) {
    let cs: ClockSnapshot | undefined;
    const u = TS_UPTIME.exec(line);
    if (u) {
      // sec * 1e6 + usec microseconds: "usec" is whatever number follows the dot.
      const sec = Number(u[1]);
      const usec = Number(u[2]);
      const carry = Math.floor(usec / 1e6);
      cs = snapshotOfNs(sec + carry, (usec - carry * 1e6) * 1000);
    } else {
      const d = TS_DATE.exec(line);
      if (d) {
        const n = d.slice(1).map(Number) as [number, number, number, number, number, number, number];
        const epochMs = Date.UTC(n[0], n[1] - 1, n[2], n[3], n[4], n[5]);
        // timegm() failing leaves the time at 0, as babeltrace2 does.
        const sec = Number.isFinite(epochMs) ? Math.floor(epochMs / 1000) : 0;
        const msec = Number.isFinite(epochMs) ? n[6] : 0;
        const carry = Math.floor(msec / 1000);
        cs = snapshotOfNs(sec + carry, (msec - carry * 1000) * 1e6);
      }
    }
    const close = line.indexOf("]");
    if (cs !== undefined && close >= 0) {
      let start = close + 1;
      if (line.charCodeAt(start) === 32) start++;
      return { text: line.slice(start), cs };
    }
  }
  return { text: line, cs: undefined };
}

class DmesgIterator implements MessageIterator {
  private fd: number;
  private readonly ownsFd: boolean;
  private readonly buf = new Uint8Array(65536);
  private rest = "";
  private eof = false;
  private ended = false;
  private began = false;
  /** Lines read before the first one with a timestamp (they take its time). */
  private held: Line[] = [];
  private lastCs: ClockSnapshot | undefined;
  private stream: IrStream | undefined;
  private eventClass: IrEventClass | undefined;

  constructor(
    private readonly params: Params,
    private readonly traceName: string | undefined,
  ) {
    if (params.path === undefined) {
      this.fd = 0;
      this.ownsFd = false;
    } else {
      try {
        this.fd = openSync(params.path, "r");
      } catch (e) {
        throw new TtngError("ERR_IO", `Cannot open input file in read mode: path="${params.path}"`, {
          actor: ACTOR,
          cause: e,
        });
      }
      this.ownsFd = true;
    }
  }

  /** Reads more input; returns false at end of input (or "again" when stdin has nothing yet). */
  private fill(): boolean | "again" {
    if (this.eof) return false;
    let n: number;
    try {
      n = readSync(this.fd, this.buf, 0, this.buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") return "again";
      if ((e as NodeJS.ErrnoException).code === "EOF") n = 0;
      else throw new TtngError("ERR_IO", "Cannot read input", { actor: ACTOR, cause: e });
    }
    if (n === 0) {
      this.eof = true;
      return false;
    }
    this.rest += Buffer.from(this.buf.buffer, 0, n).toString("latin1");
    return true;
  }

  /** Next non-blank line (without its newline), undefined at end of input, or "again". */
  private nextLine(): string | undefined | "again" {
    for (;;) {
      const nl = this.rest.indexOf("\n");
      let line: string;
      if (nl >= 0) {
        line = this.rest.slice(0, nl);
        this.rest = this.rest.slice(nl + 1);
      } else {
        const f = this.fill();
        if (f === "again") return f;
        if (f) continue;
        if (this.rest.length === 0) return undefined;
        line = this.rest;
        this.rest = "";
      }
      // C strings end at the first NUL byte.
      const nul = line.indexOf("\0");
      if (nul >= 0) line = line.slice(0, nul);
      if (!BLANK.test(line)) return line;
    }
  }

  private meta(hasTs: boolean): void {
    const tc = { id: newTraceClassId(), streamClasses: [] as IrStreamClass[] };
    const clock: IrClockClass | undefined = hasTs
      ? {
          name: undefined,
          description: undefined,
          frequency: 1e9,
          precision: 0,
          offsetSeconds: 0,
          offsetCycles: 0,
          // The dmesg time's origin is the boot time, not the Unix epoch.
          originIsUnixEpoch: false,
          uuid: undefined,
          offsetSecNs: [0, 0],
        }
      : undefined;
    const sc: IrStreamClass = {
      id: 0,
      name: undefined,
      traceClass: tc,
      defaultClock: clock,
      supportsPackets: false,
      packetsHaveBeginningCs: false,
      packetsHaveEndCs: false,
      supportsDiscardedEvents: false,
      discardedEventsHaveCs: false,
      supportsDiscardedPackets: false,
      discardedPacketsHaveCs: false,
      packetContext: undefined,
      eventCommonContext: undefined,
      eventClasses: [],
      assignsAutoEventClassIds: true,
      assignsAutoStreamIds: true,
    };
    const ec: IrEventClass = {
      id: 0,
      name: "string",
      streamClass: sc,
      logLevel: undefined,
      emfUri: undefined,
      specContext: undefined,
      payload: { kind: "struct", members: [{ name: "str", fc: { kind: "string" }, slot: 0 }] },
    };
    sc.eventClasses.push(ec);
    tc.streamClasses.push(sc);
    const trace: IrTrace = { traceClass: tc, name: this.traceName, uuid: undefined, env: [], streams: [] };
    const stream: IrStream = { id: 0, name: undefined, streamClass: sc, trace };
    trace.streams.push(stream);
    this.stream = stream;
    this.eventClass = ec;
  }

  private event(out: Message[], line: Line): void {
    const stream = this.stream!;
    if (!this.began) {
      out.push(new Message(MessageKind.StreamBeginning, stream));
      this.began = true;
    }
    const m = new Message(MessageKind.Event, stream);
    m.eventClass = this.eventClass;
    if (stream.streamClass.defaultClock !== undefined) {
      if (line.cs !== undefined) this.lastCs = line.cs;
      m.cs = this.lastCs;
    }
    m.payload = [line.text];
    out.push(m);
  }

  next(out: Message[]): IterStatus {
    if (this.ended) return "end";
    const start = out.length;
    const extract = !this.params.noTimestamp;
    while (out.length - start < BATCH) {
      const raw = this.nextLine();
      if (raw === "again") break;
      if (raw === undefined) {
        if (this.held.length > 0) {
          // No line had a timestamp: no clock, as babeltrace2.
          this.meta(false);
          for (const l of this.held) this.event(out, l);
          this.held = [];
        }
        if (this.began) out.push(new Message(MessageKind.StreamEnd, this.stream!));
        this.ended = true;
        break;
      }
      const line = parseLine(raw, extract);
      if (this.stream === undefined) {
        if (line.cs === undefined && extract) {
          this.held.push(line);
          continue;
        }
        this.meta(line.cs !== undefined);
        // Held lines come before the first timestamped one: they take its time.
        this.lastCs = line.cs;
        for (const l of this.held) this.event(out, l);
        this.held = [];
      }
      this.event(out, line);
    }
    if (out.length > start) return "ok";
    return this.ended ? "end" : "again";
  }

  finalize(): void {
    if (this.ownsFd && this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

class DmesgSource implements SourceComponent {
  readonly kind = "source";
  private readonly params: Params;
  private readonly traceName: string | undefined;

  constructor(params: MapValue, _ctx: ComponentContext) {
    this.params = parseParams(params);
    const path = this.params.path;
    if (path === undefined) this.traceName = "STDIN";
    else {
      let regular = false;
      try {
        regular = statSync(path).isFile();
      } catch {
        regular = false;
      }
      if (!regular) throw new TtngError("ERR_IO", `Input path is not a regular file: path="${path}"`, { actor: ACTOR });
      // g_path_get_basename(): "/" and "." give no name.
      const b = path.replace(/\/+$/, "") === "" ? "/" : basename(path);
      this.traceName = b === "/" || b === "." ? undefined : b;
    }
  }

  outputPorts(): string[] {
    return ["out"];
  }

  createIterator(): MessageIterator {
    return new DmesgIterator(this.params, this.traceName);
  }
}

export const dmesgSourceClass: ComponentClass = {
  type: "source",
  plugin: "text",
  name: "dmesg",
  description: "Read Linux ring buffer lines (dmesg(1) output) from a file or from the standard input.",
  help: "See the babeltrace2-source.text.dmesg(7) manual page; lines without a timestamp take the previous line's time.",
  create: (params, ctx) => new DmesgSource(params, ctx),
};
