/**
 * OpenAI's Files and Batch API for images: JSONL files uploaded and streamed to the image store, and batches
 * whose lines run as async image jobs ({@link io.imagegate.jobs.ImageJobs}) under the key's limits and budget,
 * at a discount. {@link io.imagegate.batch.BatchFiles} and {@link io.imagegate.batch.ImageBatches} are the entry types.
 */
package io.imagegate.batch;
