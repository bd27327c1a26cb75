package dev.bazaar.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 exchange over a plain socket, so that a test can send what no HTTP client would (bad methods, broken
 * header lines, lying Content-Length): it writes the bytes as they are and reads back only the status code.
 */
final class RawHttp {
    static final int TIMEOUT_MILLIS = 10_000;

    private RawHttp() {
    }

    /** The status code of the answer ("200"), or "closed" when the server hung up without one, or "timeout". */
    static String send(int port, byte[] request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput(); // a Content-Length that promises more finds the end instead of waiting
            } catch (IOException refusedMidway) {
                // the server may answer (413, 400) and close before it has read everything: read what it said
            }
            return status(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "closed";
        }
    }

    private static String status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n' && line.length() < 200; b = in.read()) {
            line.append((char) b);
        }
        String[] parts = line.toString().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            return line.isEmpty() ? "closed" : "garbled";
        }
        return parts[1];
    }

    /** The bytes of a request line, headers and body; Content-Length is added unless a header already gives one. */
    static byte[] request(String method, String target, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        boolean hasLength = false;
        for (String header : headers) {
            head.append(header).append("\r\n");
            hasLength |= header.regionMatches(true, 0, "Content-Length:", 0, 15)
                    || header.regionMatches(true, 0, "Transfer-Encoding:", 0, 18);
        }
        if (!hasLength && body.length > 0) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }
}
