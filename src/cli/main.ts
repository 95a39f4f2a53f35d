#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './run-cli.js';

// exitCode rather than exit(): stdout is flushed before the process ends, even into a pipe.
process.exitCode = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
