/**
 * ComfyUI as an upstream: an operator's API-format workflow with a node map saying where a request's values
 * go; inputs uploaded to {@code /upload/image} (the mask to {@code /upload/mask}), the filled-in graph queued
 * at {@code /prompt}, {@code /history/{id}} polled within the request's deadline, the result fetched from
 * {@code /view}; a hang-up or the deadline interrupts the prompt. Billed per image.
 */
package io.imagegate.provider.comfyui;
