/**
 * The Kubernetes remote-command protocol, server side, for the kubelet API's {@code /exec} and {@code /attach}:
 * {@link io.ecivk.kubeletapi.remotecommand.RemoteCommandHandler} takes over a connection handed off by the
 * kubelet API server and bridges it to the provider's {@link io.ecivk.spi.ContainerExec}.
 *
 * <p>Protocol facts this package follows, read in the Kubernetes sources (kubelet's remote-command server,
 * apimachinery's httpstream and wsstream, moby/spdystream, the CRI runtimes' exec errors):
 *
 * <ul>
 *   <li>Query: {@code input}/{@code output}/{@code error}/{@code tty} with value {@code 1} and repeated
 *       {@code command} are what the API server sends; no stream is "you must specify at least 1 of stdin,
 *       stdout, stderr"; a TTY drops stderr.
 *   <li>WebSocket: channel byte per message (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize; v5 adds 255 =
 *       close a channel); the client's first supported subprotocol wins; one empty message on the lowest output
 *       channel announces the session; the status is a JSON {@code metav1.Status}.
 *   <li>SPDY/3.1: {@code X-Stream-Protocol-Version} negotiation (the client's order), a 101 with the chosen
 *       version, client-opened streams typed by the {@code streamType} header, the expected stream count (error
 *       always, resize with a TTY from v3), a 30 s stream-creation timeout; v4 writes a JSON status, v1 to v3 the
 *       message on failure only; v1 half-closes stdin at once; at the end input streams are reset, output
 *       streams finished, and the connection closed when the client closes it (15 min at most).
 *   <li>The status for a non-zero exit: reason {@code NonZeroExitCode}, cause {@code ExitCode} with the code,
 *       message "command terminated with non-zero exit code: " and the runtime's error text (containerd and
 *       CRI-O: "error executing command [cmd args], exit code N"); other failures as {@code NewInternalError}.
 *   <li>moby/spdystream neither sends nor honours WINDOW_UPDATE, and Go's SPDY framer cannot read a reply with
 *       an empty header block: see {@link io.ecivk.kubeletapi.remotecommand.SpdyStreamHandler}.
 * </ul>
 *
 * <p>Flow control is this package's own: output the client does not take yet suspends the provider (high and
 * low watermarks, a hard bound for providers that ignore it) and input the provider did not send on yet stops
 * reading from the client; see {@link io.ecivk.kubeletapi.remotecommand.ExecBridge}.
 *
 * <p>Assumed rather than read: the text for an exec without a command, and that refusing an unsupported or
 * missing subprotocol with 400 also applies to SPDY version negotiation (the kubelet answers that one with 403).
 * Interoperability with the real kubectl (WebSocket v5 and SPDY) is checked by {@code KubectlInteropIT}.
 */
package io.ecivk.kubeletapi.remotecommand;
