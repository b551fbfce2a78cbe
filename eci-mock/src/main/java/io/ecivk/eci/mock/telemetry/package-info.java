/**
 * What the simulated containers produce: log lines ({@link io.ecivk.eci.mock.telemetry.LogGenerator}) and resource
 * usage that tests set over the simulator clock ({@link io.ecivk.eci.mock.telemetry.MetricsBook}).
 */
package io.ecivk.eci.mock.telemetry;
