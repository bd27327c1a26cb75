package dev.bazaar.system;

import dev.bazaar.testing.TestHttp;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A scraped {@code /observe/metrics} in Prometheus text format, with just enough parsing for assertions. */
record Prometheus(String text, List<Sample> samples) {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static Prometheus scrape(String baseUrl) {
        HttpResponse<String> response = TestHttp.send(HttpRequest.newBuilder(URI.create(baseUrl + "/observe/metrics"))
                .header("Accept", "text/plain").GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /observe/metrics: " + response.statusCode() + " " + response.body());
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (line.startsWith("#") || !matcher.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(3) != null) {
                Matcher label = LABEL.matcher(matcher.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(4))));
        }
        return new Prometheus(response.body(), samples);
    }

    /** The sum over the series named {@code name} whose labels include {@code labels}; fails when there is none. */
    double value(String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
                .filter(sample -> sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (matching.isEmpty()) {
            throw new AssertionError("no series " + name + labels + " in:\n" + text.lines()
                    .filter(line -> line.startsWith(name.substring(0, Math.min(name.length(), 8))))
                    .collect(Collectors.joining("\n")));
        }
        return matching.stream().mapToDouble(Sample::value).sum();
    }

    Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toSet());
    }
}
