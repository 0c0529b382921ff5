// An app that starts a session and never stops it (tests/tracer-workers.test.mjs): the session
// must be stopped on beforeExit, and the app must exit on its own.
//   node tests/tracer/nostop-app.mjs OUTPUT
import { provider, s32, startSession } from "@ttng/tracer";

const tick = provider("x").event("tick", { fields: [s32("v")] });
await startSession({ output: process.argv[2] });
for (let i = 0; i < 10; i++) tick(i);
