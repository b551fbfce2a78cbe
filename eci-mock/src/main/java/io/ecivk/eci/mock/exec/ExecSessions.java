package io.ecivk.eci.mock.exec;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exec sessions issued by ExecContainerCommand and not yet used. A token is single use and expires
 * {@link #VALIDITY} after it was issued (judged by the simulator's clock), like the 30 s the documentation gives the
 * HttpUrl. Thread-safe.
 */
public final class ExecSessions {

    /** How long an issued session can be opened. */
    public static final Duration VALIDITY = Duration.ofSeconds(30);

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Issued> issued = new HashMap<>();

    private record Issued(ExecTarget target, Instant expiresAt) {
    }

    public ExecSessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** Registers a session and answers its token (URL-safe, 32 random bytes). */
    public synchronized String issue(ExecTarget target) {
        Instant now = clock.instant();
        issued.values().removeIf(session -> !now.isBefore(session.expiresAt()));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(token, new Issued(target, now.plus(VALIDITY)));
        return token;
    }

    /** The session's target, once: the token is spent by this call. Empty when unknown, spent or expired. */
    public synchronized Optional<ExecTarget> redeem(String token) {
        Issued session = token == null ? null : issued.remove(token);
        if (session == null || !clock.instant().isBefore(session.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(session.target());
    }

    /** The session's target without spending the token; empty when unknown, spent or expired. */
    public synchronized Optional<ExecTarget> peek(String token) {
        Issued session = token == null ? null : issued.get(token);
        if (session == null || !clock.instant().isBefore(session.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(session.target());
    }
}
