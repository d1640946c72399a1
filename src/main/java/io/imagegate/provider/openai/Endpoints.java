package io.imagegate.provider.openai;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Where and how one upstream kind is called: the members that differ between OpenAI, Azure OpenAI and
 * OpenAI-compatible servers. Request and answer mapping are shared, since all three speak OpenAI's shapes.
 */
public interface Endpoints {

  /** The provider kind shown in {@code x-imagegate-provider}: {@code openai}, {@code azure}, … */
  String kind();

  URI generations();

  URI edits();

  /** Adds the credentials header, when the deployment has a key. */
  void authorize(HttpRequest.Builder request);

  /** Whether the body names the model (Azure names the deployment in the path instead). */
  boolean sendsModel();

  /** Every secret this upstream holds, to be scrubbed from anything shown to clients or logs. */
  java.util.List<String> secrets();
}
