package io.ecivk.kubeletapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Takes over a kubelet API connection for a streaming request ({@code /exec}, {@code /attach}) once the server
 * has authenticated and authorized it and found the pod: negotiates the remote-command protocol (WebSocket
 * {@code v5.channel.k8s.io}/{@code v4.channel.k8s.io}, or SPDY/3.1 through an HTTP upgrade) and bridges its
 * channels to the provider.
 *
 * <p>Contract of the hand-off:
 *
 * <ul>
 *   <li>Called on the channel's event loop, with the request head only; any body follows through the pipeline
 *       and is the handler's to consume. It must not block.
 *   <li>At the call the pipeline is: {@code ssl} (absent on plain HTTP), {@value #HTTP_CODEC} (an
 *       {@code HttpServerCodec}), {@value #IDLE} (an {@code IdleStateHandler}), then the server's own handler
 *       named {@value #KUBELET}. The streaming handler may replace or remove every one of them except
 *       {@code ssl}; the server passes nothing further on this channel to its own handler once this method was
 *       called.
 *   <li>Errors before the protocol is established are answered with an HTTP status (400 for an unsupported or
 *       missing subprotocol) and the connection closed by the streaming handler itself.
 * </ul>
 */
public interface StreamingHandler {

  /** Pipeline name of the HTTP codec. */
  String HTTP_CODEC = "http-codec";

  /** Pipeline name of the idle-connection handler. */
  String IDLE = "idle";

  /** Pipeline name of the kubelet API's request handler. */
  String KUBELET = "kubelet";

  /**
   * Takes over the connection for one request.
   *
   * @param ctx the context of the server's handler ({@value #KUBELET})
   * @param request the request head (its URI still carries the query: {@code command}, {@code stdin},
   *     {@code stdout}, {@code stderr}, {@code tty}, and the legacy {@code input}/{@code output})
   * @param target the pod and container the request is for
   */
  void handle(ChannelHandlerContext ctx, HttpRequest request, StreamTarget target);
}
