/**
 * Container logs of pods on ECI, for the kubelet API's {@code /containerLogs}: {@link
 * io.ecivk.eci.logs.EciContainerLogs} implements {@link io.ecivk.spi.ContainerLogs} over DescribeContainerLog.
 *
 * <p>ECI has no follow mode, and DescribeContainerLog is limited to 500 calls a minute per account. A follower
 * polls with the start time of its newest line (ECI timestamps forced on, stripped again when the client did not
 * ask for them) and de-duplicates the overlap ({@link io.ecivk.eci.logs.LogLines}). All followers share one budget
 * ({@link io.ecivk.eci.logs.FollowScheduler}, 400 polls a minute by default, earliest deadline first, quiet
 * containers backing off to 10 s). Fairness arithmetic: at 400 polls a minute, busy followers are polled every
 * {@code N × 150 ms}; new lines show within 3 s for up to 20 busy followers; 50 busy followers would need 1000
 * calls a minute for 3 s, twice ECI's limit, so they get 7.5 s (measured with {@code FollowLatencyBenchmark}:
 * 50 followers p50 3.5 s, p99 7.4 s; 20 followers p99 3.0 s). The latency is reported, the budget never exceeded.
 */
package io.ecivk.eci.logs;
