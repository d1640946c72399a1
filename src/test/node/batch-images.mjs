// Runs a batch of image lines with the `openai` npm package as a client would: files.create, batches.create,
// batches.retrieve until it ends, files.content of the output and error files. Usage:
// node batch-images.mjs BASE_URL API_KEY JSONL_PATH
// Prints one JSON line: the ended batch and the output and error files' lines; BatchNodeSdkIT asserts on it.
import fs from 'node:fs';
import OpenAI from 'openai';

const [baseURL, apiKey, path] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const file = await client.files.create({ file: fs.createReadStream(path), purpose: 'batch' });
let batch = await client.batches.create({
  input_file_id: file.id, endpoint: '/v1/images/generations', completion_window: '24h', metadata: { run: 'node' },
});
const created = batch.status;
const deadline = Date.now() + 60_000;
while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  batch = await client.batches.retrieve(batch.id);
}
const lines = async (id) => (id ? (await (await client.files.content(id)).text()).split('\n').filter((l) => l)
  .map((l) => JSON.parse(l)) : []);
console.log(JSON.stringify({
  file, created, batch, output: await lines(batch.output_file_id), errors: await lines(batch.error_file_id),
}));
