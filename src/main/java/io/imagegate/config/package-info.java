/**
 * The gateway's configuration: settings from the environment, and the YAML file of upstream deployments,
 * routes, retry and circuit-breaker policy, validated with errors that name the file, line and field.
 */
package io.imagegate.config;
