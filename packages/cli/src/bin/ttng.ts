#!/usr/bin/env node
// `node dist/bin/ttng.js`: the command under its former name. The `ttng` bin is ttng.cjs, which
// does not start node's loader for ES modules as this file does.
import "./ttng.cjs";
