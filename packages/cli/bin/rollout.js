#!/usr/bin/env node
// Committed launcher (it must exist before `npm install` builds dist/): runs the compiled CLI.
import "../dist/bin.js"
