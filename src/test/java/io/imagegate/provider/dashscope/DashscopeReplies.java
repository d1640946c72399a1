package io.imagegate.provider.dashscope;

import io.imagegate.testing.UpstreamReplies;
import okhttp3.mockwebserver.MockResponse;

/** Canned answers of DashScope's image APIs, in its own wire shape: sync answers, task answers, errors. */
final class DashscopeReplies {
  private DashscopeReplies() {}

  /** A synchronous multimodal-generation answer: one image URL and DashScope's per-image usage. */
  static MockResponse image(String url, int width, int height) {
    return UpstreamReplies.json(200, """
        {"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant",
         "content":[{"image":"%s"}]}}]},
         "usage":{"width":%d,"height":%d,"image_count":1},"request_id":"7f3c2a1e-sync"}"""
        .formatted(url, width, height));
  }

  /** An async task accepted. */
  static MockResponse submitted(String id) {
    return UpstreamReplies.json(200, """
        {"output":{"task_status":"PENDING","task_id":"%s"},"request_id":"7f3c2a1e-submit"}""".formatted(id));
  }

  /** A poll of a task not yet done: PENDING or RUNNING. */
  static MockResponse status(String id, String status) {
    return UpstreamReplies.json(200, """
        {"request_id":"7f3c2a1e-poll","output":{"task_id":"%s","task_status":"%s",
         "submit_time":"2026-12-02 22:00:00.000","task_metrics":{"TOTAL":1,"SUCCEEDED":0,"FAILED":0}}}"""
        .formatted(id, status));
  }

  /** A SUCCEEDED task with its one result URL. */
  static MockResponse succeeded(String id, String url) {
    return UpstreamReplies.json(200, """
        {"request_id":"7f3c2a1e-poll","output":{"task_id":"%s","task_status":"SUCCEEDED",
         "results":[{"orig_prompt":"a harbour","actual_prompt":"a harbour at night, lanterns","url":"%s"}],
         "task_metrics":{"TOTAL":1,"SUCCEEDED":1,"FAILED":0}},"usage":{"image_count":1}}"""
        .formatted(id, url));
  }

  /** A SUCCEEDED task whose one result was withheld by moderation. */
  static MockResponse succeededModerated(String id) {
    return UpstreamReplies.json(200, """
        {"request_id":"7f3c2a1e-poll","output":{"task_id":"%s","task_status":"SUCCEEDED",
         "results":[{"code":"DataInspectionFailed","message":"Output data may contain inappropriate content."}],
         "task_metrics":{"TOTAL":1,"SUCCEEDED":0,"FAILED":1}},"usage":{"image_count":0}}""".formatted(id));
  }

  /** A FAILED task with DashScope's code. */
  static MockResponse failed(String id, String code, String message) {
    return UpstreamReplies.json(200, """
        {"request_id":"7f3c2a1e-poll","output":{"task_id":"%s","task_status":"FAILED","code":"%s",
         "message":"%s"}}""".formatted(id, code, message));
  }

  /** DashScope's error body. */
  static MockResponse error(int status, String code, String message) {
    return UpstreamReplies.json(status, """
        {"request_id":"7f3c2a1e-error","code":"%s","message":"%s"}""".formatted(code, message));
  }
}
