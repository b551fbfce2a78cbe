package io.ecivk.eci.client.model;

/** The answer to DescribeContainerLog: the log text (lines ending in {@code \n}), at most 1 MB. */
public record DescribeContainerLogResponse(String requestId, String containerName, String content) {
  public DescribeContainerLogResponse {
    content = content == null ? "" : content;
  }
}
