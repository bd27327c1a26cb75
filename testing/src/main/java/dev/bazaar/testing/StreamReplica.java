package dev.bazaar.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * One nats-server's view of a stream, from its monitoring endpoint ({@code /jsz?accounts=true&streams=true}): the
 * state of the replica it holds, and which server it takes for the stream's leader. Comparing the replicas of all
 * servers shows whether they agree.
 *
 * @param stream        the stream's name
 * @param leader        the {@code server_name} of the stream's leader as this server sees it; null while there is none
 * @param messages      messages in this replica
 * @param firstSequence first sequence in this replica
 * @param lastSequence  last sequence in this replica
 */
public record StreamReplica(String stream, String leader, long messages, long firstSequence, long lastSequence) {

    /** The replica of {@code stream} in a {@code /jsz?accounts=true&streams=true} answer, if the server has one. */
    static Optional<StreamReplica> in(JsonNode jsz, String stream) {
        for (JsonNode account : jsz.path("account_details")) {
            for (JsonNode detail : account.path("stream_detail")) {
                if (stream.equals(detail.path("name").asText())) {
                    JsonNode state = detail.path("state");
                    String leader = detail.path("cluster").path("leader").asText("");
                    return Optional.of(new StreamReplica(stream, leader.isEmpty() ? null : leader,
                            state.path("messages").asLong(), state.path("first_seq").asLong(),
                            state.path("last_seq").asLong()));
                }
            }
        }
        return Optional.empty();
    }
}
