#!/usr/bin/env node
// Committed launcher (it must exist before `npm install` builds dist/): runs the bundled CLI
// (dist/rollout.mjs, built from dist/bin.js by rolldown.config.mjs).
import "../dist/rollout.mjs"
