// Sends one multi-image edit with a mask in each of the `openai` npm package's file forms: toFile() of a
// Buffer, a File, and toFile() of a Blob; then a bare Blob, which the SDK does not send. Usage: node edit-forms.mjs BASE_URL API_KEY A_PNG B_PNG MASK_PNG
// Prints one JSON line: for each form, the images answered and the usage; SdkMultipartFormsIT asserts on it
// and on what the fake upstream received.
import fs from 'node:fs';
import OpenAI, { toFile } from 'openai';

const [baseURL, apiKey, aPath, bPath, maskPath] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const [a, b, mask] = [aPath, bPath, maskPath].map((p) => fs.readFileSync(p));

const forms = {
  toFile: async () => ({
    image: [await toFile(a, 'a.png', { type: 'image/png' }), await toFile(b, 'b.png', { type: 'image/png' })],
    mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
  }),
  File: async () => ({
    image: [new File([a], 'a.png', { type: 'image/png' }), new File([b], 'b.png', { type: 'image/png' })],
    mask: new File([mask], 'mask.png', { type: 'image/png' }),
  }),
  Blob: async () => ({
    image: [await toFile(new Blob([a], { type: 'image/png' }), 'a.png'), await toFile(new Blob([b], { type: 'image/png' }), 'b.png')],
    mask: await toFile(new Blob([mask], { type: 'image/png' }), 'mask.png'),
  }),
};

const seen = {};
for (const [name, files] of Object.entries(forms)) {
  const answer = await client.images.edit({
    model: 'gpt-image-2', prompt: 'Put a small red hat on the cat', size: '1024x1024', quality: 'low', ...(await files()),
  });
  seen[name] = { count: answer.data.length, bytes: Buffer.from(answer.data[0].b64_json, 'base64').length, usage: answer.usage };
}
// A Blob without a name is not a file to the SDK: it sends no part for it at all (it reads it as an empty
// object), so the gateway sees an edit without an image.
try {
  await client.images.edit({ model: 'gpt-image-2', prompt: 'Put a small red hat on the cat', image: new Blob([a], { type: 'image/png' }) });
  seen.bareBlob = { status: 200 };
} catch (e) {
  seen.bareBlob = { status: e.status, param: e.param, code: e.code };
}
console.log(JSON.stringify(seen));
