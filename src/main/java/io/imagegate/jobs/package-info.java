/**
 * Async image jobs ({@code Prefer: respond-async}): submitted through the same checks as a synchronous call,
 * kept in the store, claimed under a lease by any instance's workers, run through the same conductor, their
 * answers kept in the image store for polling. {@link io.imagegate.jobs.ImageJobs} is the entry type.
 */
package io.imagegate.jobs;
