package dev.bazaar.kit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The webserver every service builds, as configured from its {@code server} node. */
class HttpServersIT {

    @Test
    void connectionsBeyondMaxTcpConnectionsWaitUntilOneCloses() throws Exception {
        Config server = Config.just(ConfigSources.create(Map.of("port", "0", "host", "127.0.0.1",
                "max-payload-size", "1024", "max-tcp-connections", "3", "shutdown-grace-period", "PT5S")));
        WebServerConfig.Builder builder = HttpServers.builder("kit-test", server, List.of()); // no OpenAPI document: none served
        builder.routing(routing -> routing.get("/hello", (req, res) -> res.send("hi")));
        WebServer webServer = HttpServers.start(builder);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                idle.add(connect(webServer.port()));
            }
            assertThat(idle.stream().allMatch(s -> answers(s, 5_000))).as("the first 3 are served").isTrue();

            try (Socket beyond = connect(webServer.port())) {
                assertThat(answers(beyond, 1_000)).as("a 4th waits while 3 are open").isFalse();
                idle.removeFirst().close();
                assertThat(answers(beyond, 5_000)).as("and is served once one closes").isTrue();
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
            webServer.stop();
        }
    }

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        return socket;
    }

    /** Sends a keep-alive GET (once per socket) and waits up to {@code millis} for the status line. */
    private static boolean answers(Socket socket, int millis) {
        try {
            if (socket.getSoTimeout() == 0) {
                OutputStream out = socket.getOutputStream();
                out.write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            socket.setSoTimeout(millis);
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (SocketTimeoutException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
