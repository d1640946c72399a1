/**
 * The only package that imports the HTTP framework (Javalin on Jetty): routes, endpoints, reading request
 * bodies, carrying out the engine's {@link io.imagegate.engine.Exchange}, and mapping every failure to the
 * OpenAI error shape.
 */
package io.imagegate.web;
