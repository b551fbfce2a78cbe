package io.ecivk.eci.mock.actions;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.model.ContainerGroup;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * NextToken paging over groups in creation order. The token is opaque to clients but simply encodes the creation
 * sequence of the last group returned; the next page continues after it. Because the order is fixed and groups are
 * only ever appended, paging never skips or repeats a group that exists throughout, even while groups are created
 * or deleted between pages.
 */
final class Paging {

    private static final String PREFIX = "eci-sim-page:";

    private Paging() {
    }

    /** One page of groups, and the token for the next page ("" when this is the last one). */
    record Page(List<ContainerGroup> groups, String nextToken) {
    }

    /**
     * @param matching  every group that passes the filters, in creation order
     * @param nextToken the token from the previous page, or empty for the first page
     */
    static Page page(List<ContainerGroup> matching, Optional<String> nextToken, int limit) {
        long after = nextToken.map(Paging::decode).orElse(0L);
        List<ContainerGroup> remaining = matching.stream().filter(group -> group.sequence() > after).toList();
        if (remaining.size() <= limit) {
            return new Page(remaining, "");
        }
        List<ContainerGroup> page = remaining.subList(0, limit);
        return new Page(page, encode(page.get(limit - 1).sequence()));
    }

    static String encode(long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + sequence).getBytes(StandardCharsets.UTF_8));
    }

    private static long decode(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                return Long.parseLong(decoded.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the API error: the token was not issued by this service
        }
        throw ApiException.invalidParameter("NextToken", "the token was not issued by a previous call.");
    }
}
