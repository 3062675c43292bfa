// Ranks under Node with what the native tool writes: a catalog and a request as JSON (`Product[]`, `RankRequest`),
// the model JSON of `tactful model build` (`Model`), and the same catalog and model packed by `tactful pack` (the
// bytes `new Engine(bytes)` takes). Both engines rank the request alike.
//   tactful model build --orders orders.csv --out model.json
//   tactful pack --catalog catalog.json --model model.json --out shop.bin
//   node cli-outputs.mjs catalog.json model.json shop.bin request.json
import { readFile } from 'node:fs/promises';
import init, { Engine } from 'tactful';

const [catalogFile, modelFile, packFile, requestFile] = process.argv.slice(2);
await init();
/** @type {import('tactful').Product[]} */
const catalog = JSON.parse(await readFile(catalogFile, 'utf8'));
/** @type {import('tactful').Model} */
const model = JSON.parse(await readFile(modelFile, 'utf8'));
/** @type {import('tactful').RankRequest} */
const request = JSON.parse(await readFile(requestFile, 'utf8'));

const fromJson = new Engine(catalog, { model });
const fromPack = new Engine(await readFile(packFile)); // a Node Buffer is a Uint8Array: the packed form
for (const engine of [fromJson, fromPack]) {
  const ranking = engine.rank(request);
  console.log(JSON.stringify({ size: engine.size, mode: ranking.mode, items: ranking.items.map((i) => i.productId) }));
  engine.free();
}
