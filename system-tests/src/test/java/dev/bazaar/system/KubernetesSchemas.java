package dev.bazaar.system;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a Kubernetes object against the Kubernetes API's OpenAPI schema as the official Java client compiles it
 * into its models (client-java-api 24: Kubernetes 1.32): a field the schema does not have (a typo such as
 * {@code readinesProbe} would otherwise be dropped silently), a required field missing, a value of the wrong type
 * (an object where a string goes, a number that is not one), and a resource quantity or int-or-string that does not
 * parse. No cluster is needed.
 */
final class KubernetesSchemas {
    /** The kinds deploy/k8s and the NATS chart produce, by apiVersion/kind; another kind is reported, not skipped. */
    private static final Map<String, Class<?>> MODELS = Map.of(
            "v1/Namespace", V1Namespace.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "v1/Service", V1Service.class,
            "apps/v1/Deployment", V1Deployment.class,
            "apps/v1/StatefulSet", V1StatefulSet.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);
    private static final Gson PLAIN = new Gson();
    private static final Gson MODEL_GSON = new JSON().getGson();

    private KubernetesSchemas() {
    }

    /** What is wrong with {@code object} (a manifest as parsed from YAML), or empty when it matches its schema. */
    static Optional<String> problem(Map<String, Object> object) {
        String type = object.get("apiVersion") + "/" + object.get("kind");
        Class<?> model = MODELS.get(type);
        if (model == null) {
            return Optional.of(type + ": no schema known here (add the kind to KubernetesSchemas.MODELS)");
        }
        JsonElement json = PLAIN.toJsonTree(object);
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
            MODEL_GSON.fromJson(json, model);
            return Optional.empty();
        } catch (InvocationTargetException e) {
            // the client's message ends with the whole object as JSON: the sentence before it says what is wrong
            return Optional.of(type + ": " + e.getCause().getMessage().replaceFirst("(?s) JSON: .*", ""));
        } catch (RuntimeException e) {
            return Optional.of(type + ": " + e.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no validateJsonElement", e);
        }
    }
}
