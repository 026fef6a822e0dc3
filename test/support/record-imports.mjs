// `node --import ./test/support/record-imports.mjs ...` appends the URL of every module the process
// loads to the file named by RECORD_IMPORTS_FILE: tests check what a command loads (not the AWS SDK
// for a local repository). ES modules are seen by a resolve hook, CommonJS ones (a require(), also one made
// with createRequire) by Module._resolveFilename.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const hook = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.RECORD_IMPORTS_FILE) appendFileSync(process.env.RECORD_IMPORTS_FILE, r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  if (process.env.RECORD_IMPORTS_FILE)
    appendFileSync(process.env.RECORD_IMPORTS_FILE, `${path.isAbsolute(file) ? pathToFileURL(file).href : `node:${file.replace(/^node:/, '')}`}\n`);
  return file;
};
