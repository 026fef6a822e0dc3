// Simulates a zstd-napi that cannot be loaded (not installed, or built for another Node ABI after a Node upgrade).
import Module from 'node:module';
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'zstd-napi') {
    const err = new Error("Cannot find module 'zstd-napi'");
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolveFilename.call(this, request, ...rest);
};
