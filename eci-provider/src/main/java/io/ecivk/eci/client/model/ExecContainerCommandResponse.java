package io.ecivk.eci.client.model;

/**
 * The answer to ExecContainerCommand.
 *
 * @param webSocketUri the session to open, e.g. {@code wss://eci-cn-hangzhou.aliyun.com/exec/?s=...}; single use
 * @param httpUrl      the console terminal for a browser, valid 30 s
 * @param syncResponse the command's output, only with {@code Sync=true}
 */
public record ExecContainerCommandResponse(
    String requestId, String webSocketUri, String httpUrl, String syncResponse) {}
