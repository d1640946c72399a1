/** The gateway's settings, from the environment (a YAML file joins them later). */
package io.imagegate.config;
