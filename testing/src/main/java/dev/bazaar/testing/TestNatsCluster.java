package dev.bazaar.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Real nats-servers on loopback forming one cluster with JetStream (three by default, so that a stream with 3
 * replicas lives on all of them and survives one node down): each a {@link TestNatsServer} on its own free ports
 * (client, route, monitoring) with its own store directory and the same extra configuration, e.g. the project's
 * accounts ({@link ProjectNatsAuth#configLines()}). Any node can be stopped, killed (SIGKILL), paused (SIGSTOP),
 * resumed and restarted on the same ports and store; the cluster finds a stream's leader and compares the replicas.
 * <p>
 * nats-server 2.9 syntax: JetStream in a cluster needs a {@code server_name} per node (they are {@code n1}, {@code n2},
 * ...) and {@code cluster { name, listen, routes }}; every node lists every route, its own included (it ignores that
 * one). {@link #start} returns once every node is healthy, i.e. JetStream has a meta leader.
 */
public final class TestNatsCluster implements AutoCloseable {
    /** The cluster's name ({@code cluster.name}). */
    public static final String NAME = "bazaar-test";
    private static final Duration FORMING = Duration.ofSeconds(30);

    private final List<TestNatsServer> nodes;

    private TestNatsCluster(List<TestNatsServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Three nodes with the given extra configuration lines (users, permissions), healthy. */
    public static TestNatsCluster start(List<String> configLines) {
        return start(3, configLines);
    }

    /** {@code size} nodes with the given extra configuration lines, healthy. */
    public static TestNatsCluster start(int size, List<String> configLines) {
        if (size < 2) {
            throw new IllegalArgumentException("a cluster needs at least 2 nodes: " + size);
        }
        List<Integer> ports = distinctFreePorts(3 * size);
        String routes = ports.subList(size, 2 * size).stream().map(port -> "nats-route://127.0.0.1:" + port)
                .collect(Collectors.joining(", "));
        List<TestNatsServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                List<String> lines = new ArrayList<>(configLines);
                lines.addAll(List.of("cluster {", "  name: " + NAME, "  listen: 127.0.0.1:" + ports.get(size + i),
                        "  routes: [" + routes + "]", "}"));
                started.add(TestNatsServer.start("n" + (i + 1), ports.get(i), ports.get(2 * size + i), lines));
            }
            TestNatsCluster cluster = new TestNatsCluster(started);
            cluster.awaitHealthy(FORMING);
            return cluster;
        } catch (RuntimeException | AssertionError e) {
            started.forEach(TestNatsServer::close);
            throw e;
        }
    }

    public List<TestNatsServer> nodes() {
        return nodes;
    }

    /** Node {@code index} (0-based; its name is {@code n<index + 1>}). */
    public TestNatsServer node(int index) {
        return nodes.get(index);
    }

    /** The node named {@code name} ({@code n1}, ...). */
    public TestNatsServer node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    /** Every node's client URL, in order. */
    public List<String> urlList() {
        return nodes.stream().map(TestNatsServer::url).toList();
    }

    /** Every node's client URL, comma-separated: the value of a service's {@code nats.servers}. */
    public String urls() {
        return String.join(",", urlList());
    }

    /** Waits until every running node that is not paused is healthy (JetStream in contact with its meta leader). */
    public void awaitHealthy(Duration timeout) {
        Await.until("every running node of " + NAME + " to be healthy", timeout,
                () -> nodes.stream().filter(node -> node.isRunning() && !node.isPaused()).allMatch(TestNatsServer::healthy));
    }

    /**
     * Waits until a node that is up says it leads {@code stream}, and returns it (after a leader is killed the others
     * elect a new one within seconds).
     */
    public TestNatsServer streamLeader(String stream, Duration timeout) {
        return Await.value("a leader of stream " + stream, timeout, () -> currentLeader(stream).orElse(null));
    }

    /** The nodes that hold a replica of {@code stream} but do not lead it, once it has a leader. */
    public List<TestNatsServer> streamFollowers(String stream, Duration timeout) {
        TestNatsServer leader = streamLeader(stream, timeout);
        return nodes.stream().filter(node -> node != leader && node.streamReplica(stream).isPresent()).toList();
    }

    /** The replicas of {@code stream} on the nodes that are up and hold one. */
    public List<StreamReplica> replicas(String stream) {
        return nodes.stream().flatMap(node -> node.streamReplica(stream).stream()).toList();
    }

    /**
     * Waits until every node that is up holds a replica of {@code stream} with the same messages and sequences, and
     * returns that state: after a node rejoins, it has caught up.
     */
    public StreamReplica awaitReplicasAgree(String stream, Duration timeout) {
        return Await.value("every replica of " + stream + " to agree", timeout, () -> {
            List<TestNatsServer> up = nodes.stream().filter(node -> node.isRunning() && !node.isPaused()).toList();
            List<StreamReplica> replicas = replicas(stream);
            Set<List<Long>> states = new HashSet<>();
            replicas.forEach(r -> states.add(List.of(r.messages(), r.firstSequence(), r.lastSequence())));
            return replicas.size() == up.size() && states.size() == 1 ? replicas.getFirst() : null;
        });
    }

    private Optional<TestNatsServer> currentLeader(String stream) {
        return nodes.stream()
                .filter(node -> node.streamReplica(stream).map(r -> node.name().equals(r.leader())).orElse(false))
                .findFirst();
    }

    /** Stops every node (SIGKILL for one that will not stop) and deletes their stores. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (TestNatsServer node : nodes.reversed()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static List<Integer> distinctFreePorts(int count) {
        Set<Integer> ports = new java.util.LinkedHashSet<>();
        while (ports.size() < count) {
            ports.add(TestNatsServer.freePort());
        }
        return List.copyOf(ports);
    }
}
