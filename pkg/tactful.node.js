// The package's entry under Node (the "node" condition of package.json's exports): the same module as tactful.js,
// but init() with no argument reads tactful_bg.wasm from beside this file instead of fetching it (Node's fetch
// cannot read file: URLs). Any argument is passed on unchanged. Hand-written and checked in.
import { readFile } from 'node:fs/promises';
import initWeb from './tactful.js';
import { loadFailed } from './errors.js';

export * from './tactful.js';

export default async function init(moduleOrPath) {
  if (moduleOrPath === undefined) {
    try {
      moduleOrPath = { module_or_path: await readFile(new URL('./tactful_bg.wasm', import.meta.url)) };
    } catch (e) {
      throw loadFailed('tactful', e);
    }
  }
  return initWeb(moduleOrPath);
}
