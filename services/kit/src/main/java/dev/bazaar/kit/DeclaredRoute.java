package dev.bazaar.kit;

/**
 * One route of a service as its code declares it: the method ({@code *} for any) and the path template in OpenAPI's
 * form, {@code /orders/{id}} (no trailing slash, a parameter's pattern dropped). A null method is a route registered
 * without a template to read (see {@code RouteFallbacks}); {@code path} then describes it.
 */
public record DeclaredRoute(String method, String path) {
    /** The route {@code method path}, with Helidon's template (prefix and route joined) normalised. */
    static DeclaredRoute of(String method, String template) {
        String path = template.replaceAll("/+", "/").replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new DeclaredRoute(method, path.isEmpty() ? "/" : path);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
