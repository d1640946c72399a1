/**
 * AUTOMATIC1111 WebUI, Forge and the forks that share its {@code /sdapi/v1} API as an upstream: a GPU box
 * drawing with {@code txt2img} / {@code img2img} in one blocking call, its {@code /progress} previews relayed
 * as partial images, {@code /interrupt} called when the client or the deadline gives up; billed per image.
 */
package io.imagegate.provider.automatic1111;
