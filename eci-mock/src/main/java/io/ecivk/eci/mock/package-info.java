/**
 * The ECI API simulator: a real HTTP server speaking the Alibaba Cloud ECI 2018-08-08 OpenAPI wire protocol
 * (ACS3-HMAC-SHA256 signatures, RPC-style query parameters, JSON answers), so that the official tea-openapi client
 * talks to it unchanged. Start it embedded with {@link io.ecivk.eci.mock.EciSimulator} or standalone with
 * {@link io.ecivk.eci.mock.EciSimulatorMain}.
 */
package io.ecivk.eci.mock;
