/**
 * The manual pages `ttng help COMMAND` and `ttng COMMAND --help` print,
 * embedded in the program (LTTng 2.10's "embedded man pages" idea). Written
 * for ttng, in our own words; they describe ttng's behaviour, which follows
 * LTTng 2.13's command line.
 */

const SESSION_OPT = `  -s SESSION, --session=SESSION
      Act on SESSION instead of the current session (see set-session).`;
const DOMAIN_OPT = `  -u, --userspace
      The user-space domain: Node.js applications traced with @ttng/tracer.
      (-k/--kernel, -j/--jul, -l/--log4j and -p/--python are recognised and
      refused: ttng has no kernel or agent domains yet.)`;
const EXIT = `EXIT STATUS
  0   Success.
  1   Command error.
  2   Undefined command or unknown option.
  3   Fatal error.
  4   Command warning (something was not done, for example an existing item).
  N   Some commands exit with the LTTng error code of the daemon's refusal
      (for example 23, session not found), as lttng does.`;

function page(name: string, summary: string, synopsis: string, description: string, options: string): string {
  return `TTNG-${name.toUpperCase()}(1)

NAME
  ttng-${name} - ${summary}

SYNOPSIS
${synopsis
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}

DESCRIPTION
${description}

OPTIONS
${options === "" ? "" : `${options}\n`}  -h, --help
      Show this manual page.

${EXIT}

SEE ALSO
  ttng(1), ttng-sessiond(8); LTTng's lttng(1), whose command line ttng follows.
`;
}

const PAGES: Record<string, () => string> = {
  create: () =>
    page(
      "create",
      "Create a recording session",
      "ttng create [SESSION] [--snapshot] [-o DIR | --set-url=file://DIR | --no-output] [--shm-path=DIR] [--trace-format=FORMAT]",
      `  Creates a recording session in the session daemon (starting one when none
  answers) and makes it the current session. Without SESSION the name is
  auto-YYYYmmdd-HHMMSS. Traces go to DIR, or by default to
  $TTNG_HOME/ttng-traces/SESSION-YYYYmmdd-HHMMSS ($TTNG_HOME defaults to $HOME).
  A snapshot session (--snapshot) keeps its channels in overwrite mode and
  writes nothing until 'ttng snapshot record'; its output becomes its first
  snapshot output. Network and live outputs need ttng-relayd (not built).`,
      `  -o DIR, --output=DIR
      Write the traces under DIR (relative paths start at the working directory).
  -U URL, --set-url=URL
      Same with a file:// URL.
  --no-output
      Record nothing to disk (useful with snapshots added later).
  --snapshot
      Create a snapshot session.
  --shm-path=DIR
      Put the ring buffers' shared memory under DIR.
  --trace-format=FORMAT
      ctf-1.8 (default: babeltrace2 2.0 reads it) or ctf-2 (CTF 2 metadata, as
      LTTng 2.15 writes by default).`,
    ),
  destroy: () =>
    page(
      "destroy",
      "Destroy recording sessions",
      "ttng destroy [SESSION | -a] [-n]",
      `  Stops the session if it records, waits until all its data is on disk
  (printing dots meanwhile), then destroys it. The trace stays where it was
  written. Destroying the current session forgets it (.ttngrc).`,
      `  -a, --all
      Destroy every session.
  -n, --no-wait
      Do not wait for the data to be written.`,
    ),
  start: () =>
    page(
      "start",
      "Start recording",
      "ttng start [SESSION]",
      `  Starts recording for the session: registered applications begin writing
  the events its rules enable. The session needs at least one channel.`,
      "",
    ),
  stop: () =>
    page(
      "stop",
      "Stop recording",
      "ttng stop [SESSION] [-n]",
      `  Stops recording and waits until the recorded data is readable, so the
  trace can be viewed right after. Prints a warning when events were
  discarded or packets lost.`,
      `  -n, --no-wait
      Return without waiting for the data.`,
    ),
  "enable-channel": () =>
    page(
      "enable-channel",
      "Create or enable channels",
      "ttng enable-channel -u [-s SESSION] [OPTIONS] CHANNEL[,CHANNEL]...",
      `  Creates each channel with the given attributes (or re-enables a disabled
  one). Attributes not given take LTTng 2.13's defaults: 4 sub-buffers of
  512 KiB with per-user buffers, 16 KiB with per-process buffers, discard
  mode (overwrite in snapshot sessions), monitor timer 1 s, other timers off.
  SIZE accepts k, M, G suffixes (powers of 1024); sizes and counts are
  rounded up to powers of two, with a warning. TIME is in microseconds or
  takes us, ms, s, m, h suffixes. Channels cannot be added after the session
  has been started once.`,
      `${DOMAIN_OPT}
${SESSION_OPT}
  --discard
      Drop new events when the buffers are full (default).
  --overwrite
      Overwrite the oldest packets when the buffers are full (flight recorder).
  --subbuf-size=SIZE
      Size of each sub-buffer (one packet).
  --num-subbuf=COUNT
      Number of sub-buffers per ring buffer.
  --switch-timer=TIME
      Flush the current sub-buffer every TIME (0: off).
  --read-timer=TIME
      Check for full sub-buffers every TIME instead of being woken up.
  --monitor-timer=TIME
      Sample buffer statistics every TIME (0: off).
  --blocking-timeout=TIME|inf
      Let a writer wait up to TIME (inf: forever) for space instead of
      discarding; not with --overwrite.
  --buffers-uid
      One set of buffers per user (default).
  --buffers-pid
      One set of buffers per process.
  -C SIZE, --tracefile-size=SIZE
      Start a new trace file when one reaches SIZE.
  -W COUNT, --tracefile-count=COUNT
      Keep at most COUNT trace files per stream (needs --tracefile-size).
  --output=mmap
      Buffer output type (user space: mmap only).`,
    ),
  "disable-channel": () =>
    page(
      "disable-channel",
      "Disable channels",
      "ttng disable-channel -u [-s SESSION] CHANNEL[,CHANNEL]...",
      "  Disables the channels: their events stop being recorded until enable-channel.",
      `${DOMAIN_OPT}
${SESSION_OPT}`,
    ),
  "enable-event": () =>
    page(
      "enable-event",
      "Create or enable recording event rules",
      "ttng enable-event -u [-s SESSION] [-c CHANNEL] [OPTIONS] (NAME[,NAME]... | -a)\nttng enable-event --node [-s SESSION] [OPTIONS] (LOGGER[,LOGGER]... | -a)",
      `  Adds a recording event rule per NAME to the channel (channel0 when -c is
  not given; it is created when the domain has no channel yet). NAME is
  PROVIDER:EVENT and may contain '*' wildcards anywhere. Enabling a rule that
  exists and is enabled is an error; a disabled one is enabled again.
  Filters are checked before anything is sent, with LTTng's grammar and
  rules (see @ttng/filter).
  With --node (the Node agent's domain, like lttng's -j/-p), NAME is a
  logger name ('console' for the global console, '*' or -a for all) and the
  rule records the agent's node_console:* events of that logger.`,
      `${DOMAIN_OPT}
  --node
      The Node agent domain (@ttng/tracer/register): rules by logger name.
${SESSION_OPT}
  -c CHANNEL, --channel=CHANNEL
      Put the rules in CHANNEL.
  -a, --all
      Same as the NAME '*'.
  --tracepoint
      Match tracepoints (the only user-space type).
  --loglevel=LEVEL
      Match events whose log level is LEVEL or more severe (TRACE_EMERG ..
      TRACE_DEBUG, with or without the TRACE_ prefix).
  --loglevel-only=LEVEL
      Match events whose log level is exactly LEVEL.
  -f EXPR, --filter=EXPR
      Record only events for which EXPR is true.
  -x NAME[,NAME]..., --exclude=NAME[,NAME]...
      Do not match these names (only with a NAME containing a wildcard).`,
    ),
  "disable-event": () =>
    page(
      "disable-event",
      "Disable recording event rules",
      "ttng disable-event (-u | --node) [-s SESSION] [-c CHANNEL] (NAME[,NAME]... | -a)",
      "  Disables every rule of the channel whose name pattern is NAME (all rules with -a).",
      `${DOMAIN_OPT}
${SESSION_OPT}
  -c CHANNEL, --channel=CHANNEL
      The channel (default channel0).
  -a, --all-events
      Disable every rule of the channel.`,
    ),
  "add-context": () =>
    page(
      "add-context",
      "Add context fields to channels",
      "ttng add-context -u [-s SESSION] [-c CHANNEL] -t TYPE [-t TYPE]...\nttng add-context --list",
      `  Adds a context field to each event record of the channel (of every channel
  of the domain without -c). User-space types: vpid, vtid, procname, ip,
  pthread_id, the namespace IDs (cgroup_ns ... uts_ns, time_ns), vuid,
  veuid, vsuid, vgid, vegid, vsgid, perf:thread:COUNTER and
  $app.PROVIDER:NAME. Contexts cannot be added once the session has started.`,
      `${DOMAIN_OPT}
${SESSION_OPT}
  -c CHANNEL, --channel=CHANNEL
      Add to CHANNEL only.
  -t TYPE, --type=TYPE
      The context type (repeatable).
  --list
      Print every context type name and exit.`,
    ),
  track: () =>
    page(
      "track",
      "Add processes to the inclusion sets of trackers",
      "ttng track -u [-s SESSION] (--vpid[=ID[,ID]...] | --vuid[=ID|USER,...] | --vgid[=ID|GROUP,...])... [-a]",
      `  A session's trackers say which processes it records. By default every
  process is; tracking a value switches the tracker to an inclusion set.
  -a tracks everything again.`,
      `${DOMAIN_OPT}
${SESSION_OPT}
  --vpid, --vuid, --vgid
      The tracker and its values (comma-separated).
  -a, --all
      Track all values.`,
    ),
  untrack: () =>
    page(
      "untrack",
      "Remove processes from the inclusion sets of trackers",
      "ttng untrack -u [-s SESSION] (--vpid[=ID,...] | --vuid[=ID|USER,...] | --vgid[=ID|GROUP,...])... [-a]",
      "  Removes values from a tracker's inclusion set; -a empties it (nothing is recorded).",
      `${DOMAIN_OPT}
${SESSION_OPT}
  --vpid, --vuid, --vgid
      The tracker and its values (comma-separated).
  -a, --all
      Track nothing.`,
    ),
  list: () =>
    page(
      "list",
      "List sessions, their configuration, or the tracepoints of applications",
      "ttng list\nttng list SESSION [-u] [-c CHANNEL] [-d]\nttng list -u [-f]",
      `  Without arguments, lists the sessions (newest first). With SESSION, shows
  its output, domains, trackers, channels with their attributes and
  statistics, and recording event rules. With -u and no SESSION, lists the
  tracepoints of the running registered applications, with their pid and name.`,
      `  -u, --userspace
      The user-space domain only.
  -c CHANNEL, --channel=CHANNEL
      Show only CHANNEL.
  -d, --domain
      Show only the session's domains.
  -f, --fields
      With -u: also show each tracepoint's fields.`,
    ),
  status: () => page("status", "Show the current session", "ttng status", "  Same as 'ttng list CURRENT-SESSION'.", ""),
  "set-session": () =>
    page(
      "set-session",
      "Set the current session",
      "ttng set-session SESSION",
      `  Makes SESSION the one commands act on without -s; remembered in
  $TTNG_HOME/.ttngrc.`,
      "",
    ),
  snapshot: () =>
    page(
      "snapshot",
      "Take and manage snapshots",
      "ttng snapshot add-output [-s SESSION] [-n NAME] [-m SIZE] DIR|file://DIR\nttng snapshot del-output [-s SESSION] ID|NAME\nttng snapshot list-output [-s SESSION]\nttng snapshot record [-s SESSION] [-n NAME] [-m SIZE] [DIR|file://DIR]",
      `  A snapshot session keeps recent events in its buffers; 'record' writes
  what they hold to the snapshot output (or to DIR) as a trace directory
  NAME-YYYYmmdd-HHMMSS-N. A session has at most one snapshot output.`,
      `${SESSION_OPT}
  -n NAME, --name=NAME
      Name of the output or of the snapshot.
  -m SIZE, --max-size=SIZE
      Largest total size of a snapshot (k, M, G suffixes).`,
    ),
  save: () =>
    page(
      "save",
      "Save sessions to files",
      "ttng save [SESSION | -a] [-o DIR] [-f]",
      `  Writes each session's configuration as SESSION.lttng in LTTng's session
  XML format, by default under $TTNG_HOME/.ttng/sessions. lttng can load
  these files and ttng loads lttng's.`,
      `  -a, --all
      Save every session (also the default without SESSION).
  -o DIR, --output-path=DIR
      Write the files in DIR.
  -f, --force
      Overwrite existing files.`,
    ),
  load: () =>
    page(
      "load",
      "Load sessions from files",
      "ttng load [SESSION | -a] [-i PATH] [-f] [--override-url=URL] [--override-name=NAME]",
      `  Creates sessions from session files (LTTng's XML format): PATH is a file
  or a directory of *.lttng files, by default $TTNG_HOME/.ttng/sessions. A
  session saved while recording starts recording again.`,
      `  -a, --all
      Load every session found (the default without SESSION).
  -i PATH, --input-path=PATH
      Where to read.
  -f, --force
      Replace existing sessions of the same names.
  --override-url=URL
      Use this output instead of the saved one.
  --override-name=NAME
      Give the loaded session this name.`,
    ),
  view: () =>
    page(
      "view",
      "Print a session's trace, or traces",
      "ttng view [SESSION] [-t PATH]\nttng view TRACE... [Babeltrace options]",
      `  With a session name (or none: the current session), prints the events
  of the session's trace with the text pretty-printer. Any other argument
  is a trace path: the Babeltrace 'view' command (see 'ttng --help').`,
      `  -t PATH, --trace-path=PATH
      Print the trace at PATH.`,
    ),
  version: () => page("version", "Show ttng's version", "ttng version", "  Prints ttng's version.", ""),
  help: () =>
    page(
      "help",
      "Show a manual page",
      "ttng help [COMMAND | PLUGIN | TYPE.PLUGIN.CLS]",
      `  Prints the manual page of a control command, or describes a plugin or a
  component class (Babeltrace's 'help').`,
      "",
    ),
};

/** The manual page of a control command, or undefined. */
export function manualPage(command: string): string | undefined {
  const f = PAGES[command];
  return f === undefined ? undefined : f();
}

export function manualCommands(): string[] {
  return Object.keys(PAGES);
}
