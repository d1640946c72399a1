// Consumes imagegate's streamed image answers with the official `openai` npm package, unchanged.
// Usage: node stream-images.mjs BASE_URL API_KEY EDIT_IMAGE_PATH
// Prints one JSON line summarising what the SDK saw; NodeSdkIT asserts on it.
import fs from 'node:fs';
import OpenAI, { toFile } from 'openai';

const [baseURL, apiKey, imagePath] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

async function collect(stream) {
  const events = [];
  for await (const event of stream) {
    events.push({ type: event.type, index: event.partial_image_index ?? null, bytes: Buffer.from(event.b64_json, 'base64').length,
      size: event.size, usage: event.usage ?? null });
  }
  return events;
}

const generation = await collect(await client.images.generate({
  model: 'gpt-image-2', prompt: 'A lighthouse in a storm at night', size: '1024x1024', quality: 'low',
  stream: true, partial_images: 2,
}));
const edit = await collect(await client.images.edit({
  model: 'gpt-image-2', prompt: 'Make it a sunny beach', image: await toFile(fs.createReadStream(imagePath), 'input.png', { type: 'image/png' }),
  size: '1024x1024', quality: 'low', stream: true, partial_images: 1,
}));
const plain = await client.images.generate({ model: 'gpt-image-2', prompt: 'A red kite', quality: 'low', n: 2 });
console.log(JSON.stringify({ generation, edit, plain: { count: plain.data.length, usage: plain.usage } }));
