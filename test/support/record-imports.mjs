// `node --import ./test/support/record-imports.mjs ...` appends the URL of every module the process
// loads to the file named by RECORD_IMPORTS_FILE: tests check what a command loads (not the AWS SDK
// for a local repository).
import { register } from 'node:module';

const hook = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.RECORD_IMPORTS_FILE) appendFileSync(process.env.RECORD_IMPORTS_FILE, r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
