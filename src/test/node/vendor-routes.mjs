// Calls routes served by other vendors (Gemini, Seedream) with the official `openai` npm package, unchanged.
// Usage: node vendor-routes.mjs BASE_URL API_KEY MODEL...
// For each model: a plain generation of two images, then a streamed one; prints one JSON line that
// VendorNodeSdkIT asserts on.
import OpenAI from 'openai';

const [baseURL, apiKey, ...models] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const seen = {};
for (const model of models) {
  const plain = await client.images.generate({ model, prompt: 'A red kite over the sea', n: 2 });
  const events = [];
  const stream = await client.images.generate({ model, prompt: 'A red kite over the sea', stream: true });
  for await (const event of stream) {
    events.push({ type: event.type, bytes: Buffer.from(event.b64_json, 'base64').length, size: event.size,
      usage: event.usage ?? null });
  }
  seen[model] = {
    count: plain.data.length, bytes: plain.data.map(d => Buffer.from(d.b64_json, 'base64').length),
    size: plain.size, format: plain.output_format, usage: plain.usage, events,
  };
}
console.log(JSON.stringify(seen));
