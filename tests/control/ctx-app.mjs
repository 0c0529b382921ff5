// Fixture: registers the `$app` context callback `tenant` after the tracer registered with the
// daemon (so after the session opened), then emits `ctx:e {v}` once.
import { provider, u32 } from "@ttng/tracer";
import { registerAppContexts } from "@ttng/tracer/agent";

registerAppContexts({ tenant: () => "acme" });
provider("ctx").event("e", { fields: [u32("v")] })(1);
