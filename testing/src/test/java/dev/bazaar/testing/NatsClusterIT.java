package dev.bazaar.testing;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TestNatsCluster} itself, on real nats-servers: an R3 stream lives on every node, a killed leader is replaced
 * and the restarted node catches up from its own store, a paused node is unhealthy and catches up once resumed.
 */
class NatsClusterIT {
    static final Duration WAIT = Duration.ofSeconds(30);
    static TestNatsCluster cluster;
    static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestNatsCluster.start(ProjectNatsAuth.configLines());
        connection = Nats.connect(new Options.Builder().servers(cluster.urlList().toArray(String[]::new))
                .userInfo("ops", ProjectNatsAuth.password("ops")).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).build());
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        cluster.close();
    }

    @Test
    void threeHealthyNodesHoldEveryReplicaOfAnR3Stream() throws Exception {
        String stream = createStream();
        publish(stream, 5);

        assertThat(cluster.nodes()).extracting(TestNatsServer::name).containsExactly("n1", "n2", "n3");
        assertThat(cluster.nodes()).allMatch(TestNatsServer::healthy);
        assertThat(cluster.urls()).isEqualTo(String.join(",", cluster.urlList())).contains(cluster.node(2).url());
        StreamReplica agreed = cluster.awaitReplicasAgree(stream, WAIT);
        assertThat(agreed.messages()).isEqualTo(5);
        assertThat(cluster.replicas(stream)).hasSize(3);
        TestNatsServer leader = cluster.streamLeader(stream, WAIT);
        assertThat(cluster.streamFollowers(stream, WAIT)).hasSize(2).doesNotContain(leader);
    }

    @Test
    void aKilledLeaderIsReplacedAndCatchesUpFromItsOwnStoreAfterARestart() throws Exception {
        String stream = createStream();
        publish(stream, 3);
        cluster.awaitReplicasAgree(stream, WAIT);
        TestNatsServer leader = cluster.streamLeader(stream, WAIT);

        leader.kill();
        assertThat(leader.isRunning()).isFalse();
        assertThat(leader.healthy()).isFalse();
        TestNatsServer next = cluster.streamLeader(stream, WAIT);
        assertThat(next).isNotSameAs(leader);
        publish(stream, 4);

        leader.restart();
        leader.awaitHealthy(WAIT);
        StreamReplica agreed = cluster.awaitReplicasAgree(stream, WAIT);
        assertThat(agreed.messages()).isEqualTo(7);
        assertThat(agreed.lastSequence()).isEqualTo(7);
        assertThat(leader.streamReplica(stream)).hasValueSatisfying(r -> assertThat(r.messages()).isEqualTo(7));
    }

    @Test
    void aPausedNodeAnswersNothingAndCatchesUpOnceResumed() throws Exception {
        String stream = createStream();
        cluster.awaitReplicasAgree(stream, WAIT);
        // Not the node this test's connection uses: a client only notices a frozen server at its next ping.
        TestNatsServer follower = cluster.streamFollowers(stream, WAIT).stream()
                .filter(node -> !node.url().equals(connection.getConnectedUrl())).findFirst().orElseThrow();

        follower.pause();
        try {
            assertThat(follower.isPaused()).isTrue();
            assertThat(follower.healthy()).isFalse();
            assertThat(follower.streamReplica(stream)).isEmpty();
            publish(stream, 2); // two replicas of three are a quorum
        } finally {
            follower.resume();
        }
        follower.awaitHealthy(WAIT);
        assertThat(cluster.awaitReplicasAgree(stream, WAIT).messages()).isEqualTo(2);
    }

    @Test
    void aStoppedNodeRestartsOnTheSamePortsWithItsData() throws Exception {
        String stream = createStream();
        publish(stream, 2);
        cluster.awaitReplicasAgree(stream, WAIT);
        TestNatsServer node = cluster.node(1);
        String url = node.url();

        node.stop();
        assertThat(node.isRunning()).isFalse();
        node.restart();
        node.awaitHealthy(WAIT);

        assertThat(node.url()).isEqualTo(url);
        assertThat(cluster.awaitReplicasAgree(stream, WAIT).messages()).isEqualTo(2);
    }

    /** A fresh R3 stream for one test; publishes go through whichever node the connection is on. */
    private static String createStream() throws Exception {
        String name = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        JetStreamManagement jsm = connection.jetStreamManagement();
        Await.until("stream " + name + " to be created", WAIT, () -> {
            try {
                jsm.addStream(StreamConfiguration.builder().name(name).subjects(name.toLowerCase() + ".>")
                        .storageType(StorageType.File).replicas(3).build());
                return true;
            } catch (Exception e) {
                return false; // e.g. a new meta leader not elected yet
            }
        });
        return name;
    }

    private static void publish(String stream, int count) throws Exception {
        JetStream js = connection.jetStream();
        for (int i = 0; i < count; i++) {
            String subject = stream.toLowerCase() + ".event";
            byte[] body = ("event " + i).getBytes(StandardCharsets.UTF_8);
            PublishOptions once = PublishOptions.builder().messageId(UUID.randomUUID().toString()).build();
            Await.until("a publish to " + stream + " to be acknowledged", WAIT, () -> {
                try {
                    js.publish(subject, body, once);
                    return true;
                } catch (Exception e) {
                    return false; // leader election under way: publish again, the message id drops a copy
                }
            });
        }
    }
}
