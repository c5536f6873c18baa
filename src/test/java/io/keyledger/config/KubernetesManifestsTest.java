package io.keyledger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders each kustomize overlay with {@code kubectl kustomize} and checks it against the application's own
 * configuration ({@code application.properties}): ports, health paths, environment names, security and sizing;
 * and renders {@code k8s/observability} (PodMonitor, PrometheusRule). A plain JUnit test: no Quarkus application
 * is started. Without {@code kubectl} on the PATH it is skipped with that reason, unless
 * {@code -Dkeyledger.require-kubectl=true} or {@code KEYLEDGER_REQUIRE_KUBECTL=true} (CI) makes that a failure.
 */
class KubernetesManifestsTest {

    private static final Path OVERLAYS = Path.of("k8s", "overlays");
    private static final Path OBSERVABILITY_DIR = Path.of("k8s", "observability");
    private static final String OBSERVABILITY = "observability";
    static final String REQUIRE_KUBECTL_PROPERTY = "keyledger.require-kubectl";
    static final String REQUIRE_KUBECTL_ENV = "KEYLEDGER_REQUIRE_KUBECTL";
    private static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);

    private static final String SECRET_NAME = "keyledger-secrets";
    private static final Set<String> SECRET_ENV_NAMES = Set.of("QUARKUS_DATASOURCE_PASSWORD",
            "KEYLEDGER_KEYS_HASH_PEPPER", "KAFKA_SASL_JAAS_CONFIG");

    /** Standard Quarkus, Kafka and MicroProfile JWT names the application reads without an explicit property line. */
    private static final Set<String> STANDARD_ENV_NAMES = Set.of("QUARKUS_DATASOURCE_JDBC_URL",
            "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG",
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_AUDIENCES",
            "KEYLEDGER_KEYS_HASH_PEPPER", "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING",
            "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "QUARKUS_HTTP_PROXY_ALLOW_FORWARDED",
            "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE");

    private static final Pattern PROPERTY_EXPRESSION = Pattern.compile("\\$\\{([^:}]+)");
    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicBoolean SKIP_REPORTED = new java.util.concurrent.atomic.AtomicBoolean();

    @Nested
    class JvmOverlay extends OverlayContract {
        JvmOverlay() {
            super("jvm");
        }
    }

    @Nested
    class NativeOverlay extends OverlayContract {
        NativeOverlay() {
            super("native");
        }
    }

    /** What every overlay must satisfy; each nested class runs it against one rendered overlay. */
    abstract static class OverlayContract {

        private final String overlay;

        OverlayContract(String overlay) {
            this.overlay = overlay;
        }

        @Test
        void containerPortEqualsQuarkusHttpPort_andServiceTargetsIt() throws Exception {
            Map<String, Object> container = container(overlay);
            Properties properties = applicationProperties();
            int httpPort = Integer.parseInt(properties.getProperty("quarkus.http.port", "8080"));

            assertEquals(httpPort, ((Number) namedPort(container, "http").get("containerPort")).intValue(),
                    "container port 'http' vs quarkus.http.port");
            assertEquals(managementPort(properties),
                    ((Number) namedPort(container, "management").get("containerPort")).intValue(),
                    "container port 'management' vs quarkus.management.port");

            List<Object> servicePorts = listAt(only(rendered(overlay), "Service"), "spec", "ports");
            assertEquals(1, servicePorts.size(), "Service ports");
            Map<String, Object> servicePort = asMap(servicePorts.get(0));
            assertEquals(80, ((Number) servicePort.get("port")).intValue(), "Service port");
            assertEquals("http", servicePort.get("targetPort"),
                    "Service targetPort (the management port stays off the Service)");
        }

        @Test
        void networkPolicy_opensTheApiPort_andTheManagementPortOnlyToPrometheusPods() throws Exception {
            Properties properties = applicationProperties();
            int httpPort = Integer.parseInt(properties.getProperty("quarkus.http.port", "8080"));
            int managementPort = managementPort(properties);
            List<Map<String, Object>> rules = listAt(only(rendered(overlay), "NetworkPolicy"), "spec", "ingress")
                    .stream().map(KubernetesManifestsTest::asMap).toList();

            assertTrue(rules.stream().anyMatch(r -> !r.containsKey("from") && ports(r).contains(httpPort)),
                    "the API port " + httpPort + " is not open: " + rules);
            List<Map<String, Object>> management = rules.stream().filter(r -> ports(r).contains(managementPort))
                    .toList();
            assertFalse(management.isEmpty(),
                    "no ingress rule for the management port " + managementPort + " (Prometheus)");
            for (Map<String, Object> rule : management) {
                assertFalse(listAt(rule, "from").isEmpty(), "the management port is open to everyone: " + rule);
                for (Object peer : listAt(rule, "from")) {
                    // a namespaceSelector alone lets every pod of the namespace in; an ipBlock lets in the node and
                    // more
                    Map<String, Object> from = asMap(peer);
                    assertEquals(Set.of("namespaceSelector", "podSelector"), from.keySet(),
                            "the management port is open to more than Prometheus's pods: " + from);
                    assertEquals(Map.of("app.kubernetes.io/name", "prometheus"),
                            mapAt(from, "podSelector", "matchLabels"), "not Prometheus's pods: " + from);
                }
            }
            assertTrue(rules.stream().allMatch(r -> !ports(r).isEmpty()), "an ingress rule opens every port: " + rules);
        }

        /**
         * Behind the ingress every client would be one address (the ingress pod's) to the failed-key throttle: the
         * client address comes from the forwarded header, believed only from the configured proxy addresses.
         */
        @Test
        void forwardedHeadersAreTrusted_onlyFromTheConfiguredProxyAddresses() {
            Map<String, String> env = configMapEnvironment(overlay);
            assertEquals("true", env.get("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"),
                    "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING");
            assertTrue(
                    "true".equals(env.get("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED"))
                            ^ "true".equals(env.get("QUARKUS_HTTP_PROXY_ALLOW_FORWARDED")),
                    "exactly one forwarded header form is believed (X-Forwarded-For or Forwarded): " + env);
            String trusted = env.get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
            assertNotNull(trusted,
                    "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES: without it any client could set its own address");
            Pattern address = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:]*)(/\\d{1,3})?");
            for (String entry : trusted.split(",")) {
                String proxy = entry.trim();
                assertTrue(address.matcher(proxy).matches(), "trusted proxy " + proxy + " is not an address or CIDR");
                assertFalse(proxy.endsWith("/0"), "trusted proxy " + proxy + " trusts every address");
            }
        }

        @Test
        void setsAConnectionLimitPerReplica() throws Exception {
            assertTrue(environmentNames(overlay).contains("QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS"),
                    "no connection limit: idle connections could use up the file descriptors");
            // the documented default, well below the ~20,000 idle connections that used up a replica's descriptors
            int limit = Integer
                    .parseInt(applicationProperties().getProperty("quarkus.http.limits.max-connections", "0"));
            assertTrue(limit > 0 && limit <= 16_384, "quarkus.http.limits.max-connections default: " + limit);
        }

        @Test
        void probesPointAtQuarkusHealthEndpoints() throws Exception {
            Map<String, Object> container = container(overlay);
            Properties properties = applicationProperties();
            String health = healthRoot(properties);
            String port = managementEnabled(properties) ? "management" : "http";

            assertProbe(container, "startupProbe", health + "/started", port);
            assertProbe(container, "readinessProbe", health + "/ready", port);
            assertProbe(container, "livenessProbe", health + "/live", port);
        }

        @Test
        void prometheusAnnotationsPointAtMetricsEndpoint() throws Exception {
            Properties properties = applicationProperties();
            Map<String, Object> annotations = mapAt(deployment(overlay), "spec", "template", "metadata", "annotations");
            assertEquals("true", annotations.get("prometheus.io/scrape"), "prometheus.io/scrape");
            assertEquals(metricsPath(properties), annotations.get("prometheus.io/path"), "prometheus.io/path");
            String port = managementEnabled(properties)
                    ? String.valueOf(managementPort(properties))
                    : properties.getProperty("quarkus.http.port", "8080");
            assertEquals(port, annotations.get("prometheus.io/port"), "prometheus.io/port");
        }

        @Test
        void everyEnvironmentVariableIsOneTheApplicationUnderstands() throws Exception {
            Set<String> understood = new TreeSet<>(STANDARD_ENV_NAMES);
            understood.addAll(environmentNamesOf(applicationProperties()));

            Set<String> configured = environmentNames(overlay);
            assertFalse(configured.isEmpty(), "the Deployment sets no environment at all");

            Set<String> unknown = new TreeSet<>(configured);
            unknown.removeAll(understood);
            assertTrue(unknown.isEmpty(), "environment variables matching neither a key in application.properties "
                    + "nor a standard Quarkus/Kafka/MP name (a typo, or a property the app dropped): " + unknown);
        }

        @Test
        void secretsComeOnlyFromTheExternalSecretByReference() {
            List<Map<String, Object>> documents = rendered(overlay);
            assertTrue(documents.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), "a Secret is rendered");

            Map<String, Object> container = container(overlay);
            for (String name : SECRET_ENV_NAMES) {
                Map<String, Object> env = listAt(container, "env").stream().map(KubernetesManifestsTest::asMap)
                        .filter(e -> name.equals(e.get("name"))).findFirst()
                        .orElseThrow(() -> new AssertionError(name + " is not set on the container"));
                assertNull(env.get("value"), name + " has an inline value");
                assertEquals(SECRET_NAME, mapAt(env, "valueFrom", "secretKeyRef").get("name"), name + " secretKeyRef");
            }
            for (Object source : listAt(container, "envFrom")) {
                assertNull(asMap(source).get("secretRef"), "envFrom secretRef hides which names a Secret sets");
            }
            Set<String> inConfigMaps = configMapEnvironmentNames(overlay);
            inConfigMaps.retainAll(SECRET_ENV_NAMES);
            assertTrue(inConfigMaps.isEmpty(), "secret names in a ConfigMap: " + inConfigMaps);
        }

        @Test
        void mountsTheLedgerSigningKeyFromItsSecret_andPointsTheServiceAtIt() {
            Map<String, Object> pod = mapAt(deployment(overlay), "spec", "template", "spec");
            Map<String, Object> container = container(overlay);
            String location = listAt(container, "env").stream().map(KubernetesManifestsTest::asMap)
                    .filter(e -> "KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION".equals(e.get("name")))
                    .map(e -> (String) e.get("value")).findFirst().orElseThrow(
                            () -> new AssertionError("no KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION: checkpoints are off"));
            Map<String, Object> mount = listAt(container, "volumeMounts").stream().map(KubernetesManifestsTest::asMap)
                    .filter(m -> location.startsWith(m.get("mountPath") + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing mounted at " + location));
            assertEquals(Boolean.TRUE, mount.get("readOnly"), "the signing key mount is read-only");
            Map<String, Object> volume = listAt(pod, "volumes").stream().map(KubernetesManifestsTest::asMap)
                    .filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
            Map<String, Object> secret = mapAt(volume, "secret");
            assertEquals("keyledger-ledger-signing-key", secret.get("secretName"));
            assertTrue(
                    listAt(secret, "items").stream().map(KubernetesManifestsTest::asMap)
                            .anyMatch(i -> location.endsWith("/" + i.get("path"))),
                    "the Secret item is the file the service reads");
        }

        @Test
        void runsAsNonRootWithReadOnlyRootFilesystemAndNoCapabilities() {
            Map<String, Object> pod = mapAt(deployment(overlay), "spec", "template", "spec");
            Map<String, Object> podSecurity = mapAt(pod, "securityContext");
            assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"), "pod runAsNonRoot");
            assertNotNull(podSecurity.get("runAsUser"), "pod runAsUser");
            assertTrue(((Number) podSecurity.get("runAsUser")).intValue() > 0, "pod runAsUser is root");
            assertEquals("RuntimeDefault", mapAt(podSecurity, "seccompProfile").get("type"), "pod seccompProfile");

            Map<String, Object> container = container(overlay);
            Map<String, Object> security = mapAt(container, "securityContext");
            assertEquals(Boolean.TRUE, security.get("runAsNonRoot"), "container runAsNonRoot");
            assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"), "container readOnlyRootFilesystem");
            assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"), "container allowPrivilegeEscalation");
            assertEquals(List.of("ALL"), listAt(security, "capabilities", "drop"), "container capabilities.drop");

            String tmpVolume = listAt(container, "volumeMounts").stream().map(KubernetesManifestsTest::asMap)
                    .filter(m -> "/tmp".equals(m.get("mountPath"))).map(m -> (String) m.get("name")).findFirst()
                    .orElseThrow(() -> new AssertionError("no writable /tmp under a read-only root filesystem"));
            assertTrue(
                    listAt(pod, "volumes").stream().map(KubernetesManifestsTest::asMap)
                            .anyMatch(v -> tmpVolume.equals(v.get("name")) && v.containsKey("emptyDir")),
                    "/tmp is not an emptyDir");
        }

        @Test
        void containerHasResourceRequestsAndMemoryLimit() {
            Map<String, Object> resources = mapAt(container(overlay), "resources");
            assertNotNull(mapAt(resources, "requests").get("cpu"), "requests.cpu (the HPA scales on it)");
            assertNotNull(mapAt(resources, "requests").get("memory"), "requests.memory");
            assertNotNull(mapAt(resources, "limits").get("memory"), "limits.memory");
            long request = bytes(mapAt(resources, "requests").get("memory"));
            assertTrue(request <= bytes(mapAt(resources, "limits").get("memory")), "memory request exceeds the limit");
        }

        @Test
        void gracePeriodCoversPreStopSleepAndQuarkusShutdownTimeout() throws Exception {
            Map<String, Object> pod = mapAt(deployment(overlay), "spec", "template", "spec");
            long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
            Object sleep = mapAt(container(overlay), "lifecycle", "preStop", "sleep").get("seconds");
            assertNotNull(sleep, "no preStop sleep: requests still routed to a terminating pod would fail");
            Duration shutdown = quarkusDuration(applicationProperties().getProperty("quarkus.shutdown.timeout"));

            assertTrue(((Number) sleep).longValue() + shutdown.toSeconds() < grace, "preStop " + sleep
                    + "s + quarkus.shutdown.timeout " + shutdown + " must end within the " + grace + "s grace period");
        }

        @Test
        void disruptionBudgetLeavesRoomToEvictAtMinimumScale() {
            List<Map<String, Object>> documents = rendered(overlay);
            Object minAvailable = mapAt(only(documents, "PodDisruptionBudget"), "spec").get("minAvailable");
            Map<String, Object> hpa = mapAt(only(documents, "HorizontalPodAutoscaler"), "spec");

            assertEquals("keyledger", mapAt(hpa, "scaleTargetRef").get("name"));
            assertTrue(((Number) minAvailable).intValue() < ((Number) hpa.get("minReplicas")).intValue(),
                    "minAvailable must stay below the HPA minimum or node drains block");
        }
    }

    // --- k8s/observability: Prometheus Operator resources, applied beside an overlay ----------------------------

    @Test
    void observability_podMonitorScrapesTheManagementPortOfTheDeploymentsPods() throws Exception {
        Map<String, Object> podMonitor = only(rendered(OBSERVABILITY), "PodMonitor");
        Map<String, Object> selector = mapAt(podMonitor, "spec", "selector", "matchLabels");
        Map<String, Object> podLabels = mapAt(deployment("jvm"), "spec", "template", "metadata", "labels");
        assertFalse(selector.isEmpty(), "PodMonitor selects every pod");
        selector.forEach(
                (k, v) -> assertEquals(v, podLabels.get(k), "PodMonitor selector " + k + " vs the pod's labels"));

        List<Object> endpoints = listAt(podMonitor, "spec", "podMetricsEndpoints");
        assertEquals(1, endpoints.size(), "podMetricsEndpoints");
        Map<String, Object> endpoint = asMap(endpoints.get(0));
        Properties properties = applicationProperties();
        assertEquals(metricsPath(properties), endpoint.get("path"), "PodMonitor path");
        assertEquals(managementPort(properties),
                ((Number) namedPort(container("jvm"), (String) endpoint.get("port")).get("containerPort")).intValue(),
                "PodMonitor port " + endpoint.get("port") + " is not the management port");
    }

    @Test
    void observability_alertsOnAStalledRelay_andOnPublicationLag_outsideTheOverlays() {
        Map<String, Object> rule = only(rendered(OBSERVABILITY), "PrometheusRule");
        List<Map<String, Object>> alerts = listAt(rule, "spec", "groups").stream().map(KubernetesManifestsTest::asMap)
                .flatMap(g -> listAt(g, "rules").stream().map(KubernetesManifestsTest::asMap))
                .filter(r -> r.containsKey("alert")).toList();
        for (String metric : List.of("keyledger_relay_stalled", "keyledger_relay_leader",
                "keyledger_relay_publication_lag_seconds")) {
            assertTrue(alerts.stream().anyMatch(a -> String.valueOf(a.get("expr")).contains(metric)),
                    "no alert on " + metric + " in " + alerts);
        }
        for (Map<String, Object> alert : alerts) {
            assertNotNull(alert.get("for"), alert.get("alert") + " has no `for`: one bad scrape would page");
            assertNotNull(mapAt(alert, "labels").get("severity"), alert.get("alert") + " has no severity");
            assertNotNull(mapAt(alert, "annotations").get("description"), alert.get("alert") + " has no description");
        }
        // the alert expressions name metrics the service exports: checked against a live scrape by
        // io.keyledger.config.AlertRulesTest

        // and the overlays stay free of them, so they apply on clusters without the Prometheus Operator's CRDs
        for (String overlay : List.of("jvm", "native")) {
            List<String> operatorKinds = rendered(overlay).stream()
                    .filter(d -> String.valueOf(d.get("apiVersion")).startsWith("monitoring.coreos.com/"))
                    .map(d -> (String) d.get("kind")).toList();
            assertEquals(List.of(), operatorKinds,
                    overlay + " renders resources that need the Prometheus Operator's CRDs");
        }
    }

    @Test
    void observability_shipsTheGrafanaDashboard_asAConfigMapGrafanasSidecarLoads() throws Exception {
        Map<String, Object> configMap = rendered(OBSERVABILITY).stream().filter(d -> "ConfigMap".equals(d.get("kind")))
                .filter(d -> "1".equals(String.valueOf(mapAt(d, "metadata", "labels").get("grafana_dashboard"))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap labelled grafana_dashboard=1 in observability"));
        Object json = mapAt(configMap, "data").get("keyledger-dashboard.json");
        assertEquals(Files.readString(OBSERVABILITY_DIR.resolve("keyledger-dashboard.json")), json,
                "the ConfigMap holds the dashboard file as it is");
        List<Map<String, Object>> alerts = listAt(only(rendered(OBSERVABILITY), "PrometheusRule"), "spec", "groups")
                .stream().map(KubernetesManifestsTest::asMap)
                .flatMap(g -> listAt(g, "rules").stream().map(KubernetesManifestsTest::asMap)).toList();
        for (String alert : List.of("KeyledgerUsageDeadLetters", "KeyledgerUsageConsumerLagGrowing", "KeyledgerHttp5xx",
                "KeyledgerVerificationSlow", "KeyledgerReplicaNotReady")) {
            assertTrue(alerts.stream().anyMatch(a -> alert.equals(a.get("alert"))),
                    "no " + alert + " in the rendered rules");
        }
    }

    @Test
    void overlays_useTheirOwnImage() {
        assertTrue(((String) container("jvm").get("image")).contains("keyledger-jvm"), "jvm image");
        assertTrue(((String) container("native").get("image")).contains("keyledger-native"), "native image");
    }

    @Test
    void nativeOverlay_limitsMemoryBelowJvmOverlay() {
        long jvm = bytes(mapAt(container("jvm"), "resources", "limits").get("memory"));
        long nativeLimit = bytes(mapAt(container("native"), "resources", "limits").get("memory"));
        assertTrue(nativeLimit < jvm, "native memory limit " + nativeLimit + " is not below the JVM's " + jvm);
    }

    // --- k8s/examples: gateways in front of another service, calling keyledger's check endpoint ------------------

    private static final String CHECK_PATH = "/api/v2/authz";
    private static final List<String> IDENTITY_HEADERS = List.of("X-Keyledger-Key-Id", "X-Keyledger-Org",
            "X-Keyledger-Service-Account", "X-Keyledger-Privilege", "X-Keyledger-Scopes");

    /** The keyledger Service of the overlays: its name and port, which every example must call. */
    private static void assertCallsKeyledger(java.net.URI url, String what) {
        Map<String, Object> service = only(rendered("jvm"), "Service");
        String name = (String) mapAt(service, "metadata").get("name");
        int port = ((Number) asMap(listAt(service, "spec", "ports").get(0)).get("port")).intValue();
        assertEquals(CHECK_PATH, url.getPath(), what + " path");
        assertTrue(url.getHost().equals(name) || url.getHost().startsWith(name + "."),
                what + " host " + url.getHost() + " is not the " + name + " Service");
        assertEquals(port, url.getPort() == -1 ? 80 : url.getPort(), what + " port");
    }

    @Test
    void examples_ingressNginx_checksEachRequestWithKeyledger_andPassesTheIdentityHeaders() {
        Map<String, Object> ingress = only(rendered("examples/ingress-nginx"), "Ingress");
        Map<String, Object> annotations = mapAt(ingress, "metadata", "annotations");
        assertCallsKeyledger(java.net.URI.create((String) annotations.get("nginx.ingress.kubernetes.io/auth-url")),
                "auth-url");
        assertEquals(IDENTITY_HEADERS,
                List.of(((String) annotations.get("nginx.ingress.kubernetes.io/auth-response-headers")).split(",")),
                "auth-response-headers");
    }

    @Test
    void examples_envoyGateway_extAuthCallsKeyledger_onTheRoute_andPassesTheIdentityHeaders() {
        List<Map<String, Object>> documents = rendered("examples/envoy-gateway");
        Map<String, Object> policy = only(documents, "SecurityPolicy");
        Map<String, Object> http = mapAt(policy, "spec", "extAuth", "http");
        Map<String, Object> backend = asMap(listAt(http, "backendRefs").get(0));
        Map<String, Object> service = only(rendered("jvm"), "Service");
        assertEquals(mapAt(service, "metadata").get("name"), backend.get("name"), "backendRef");
        assertEquals(asMap(listAt(service, "spec", "ports").get(0)).get("port"), backend.get("port"),
                "backendRef port");
        assertEquals(CHECK_PATH, http.get("path"), "extAuth path prefix");
        assertEquals(IDENTITY_HEADERS, listAt(http, "headersToBackend"), "headersToBackend");
        String route = (String) mapAt(only(documents, "HTTPRoute"), "metadata").get("name");
        assertEquals(route, asMap(listAt(policy, "spec", "targetRefs").get(0)).get("name"),
                "the policy targets the route");
        Map<String, Object> grant = only(documents, "ReferenceGrant");
        assertEquals(backend.get("namespace"), mapAt(grant, "metadata").get("namespace"),
                "the grant lives beside keyledger");
    }

    @Test
    void examples_traefik_forwardAuthCallsKeyledger_onTheRoute_andPassesTheIdentityHeaders() {
        List<Map<String, Object>> documents = rendered("examples/traefik");
        Map<String, Object> middleware = only(documents, "Middleware");
        Map<String, Object> forwardAuth = mapAt(middleware, "spec", "forwardAuth");
        assertCallsKeyledger(java.net.URI.create((String) forwardAuth.get("address")), "forwardAuth address");
        assertEquals(IDENTITY_HEADERS, listAt(forwardAuth, "authResponseHeaders"), "authResponseHeaders");
        assertEquals(Boolean.FALSE, forwardAuth.get("trustForwardHeader"), "client X-Forwarded-* are not trusted");
        Map<String, Object> rule = asMap(listAt(only(documents, "IngressRoute"), "spec", "routes").get(0));
        assertEquals(mapAt(middleware, "metadata").get("name"), asMap(listAt(rule, "middlewares").get(0)).get("name"),
                "the route uses the middleware");
    }

    // --- rendering ---------------------------------------------------------------------------------------------

    private static List<Map<String, Object>> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, KubernetesManifestsTest::render);
    }

    private static List<Map<String, Object>> render(String overlay) {
        Path dir = OBSERVABILITY.equals(overlay)
                ? OBSERVABILITY_DIR
                : overlay.startsWith("examples/") ? Path.of("k8s").resolve(overlay) : OVERLAYS.resolve(overlay);
        assertTrue(Files.isDirectory(dir), "no kustomization at " + dir.toAbsolutePath());
        try {
            Path out = Files.createTempFile("kustomize-" + overlay.replace('/', '-'), ".yaml");
            Path err = Files.createTempFile("kustomize-" + overlay.replace('/', '-'), ".err");
            try {
                Process process;
                try {
                    process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectOutput(out.toFile())
                            .redirectError(err.toFile()).start();
                } catch (IOException e) {
                    String reason = "kubectl is not installed or not on PATH; this test renders the manifests with "
                            + "`kubectl kustomize` (kubectl 1.24 or later): " + e.getMessage();
                    if (kubectlRequired()) {
                        return fail(reason + " (required here: " + REQUIRE_KUBECTL_PROPERTY + " / "
                                + REQUIRE_KUBECTL_ENV + ")");
                    }
                    if (SKIP_REPORTED.compareAndSet(false, true)) {
                        System.err.println("[WARNING] KubernetesManifestsTest skipped: " + reason);
                    }
                    Assumptions.abort(reason);
                    return List.of();
                }
                if (!process.waitFor(KUBECTL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return fail("kubectl kustomize " + dir + " did not finish within " + KUBECTL_TIMEOUT);
                }
                if (process.exitValue() != 0) {
                    return fail("kubectl kustomize " + dir + " exited with " + process.exitValue() + ":\n"
                            + Files.readString(err));
                }
                List<Map<String, Object>> documents = new ArrayList<>();
                try (Reader reader = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
                    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                        if (document != null) {
                            documents.add(asMap(document));
                        }
                    }
                }
                assertFalse(documents.isEmpty(), "kubectl kustomize " + dir + " rendered nothing");
                return List.copyOf(documents);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("rendering " + dir + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + dir, e);
        }
    }

    private static Map<String, Object> deployment(String overlay) {
        return only(rendered(overlay), "Deployment");
    }

    private static Map<String, Object> container(String overlay) {
        return listAt(deployment(overlay), "spec", "template", "spec", "containers").stream()
                .map(KubernetesManifestsTest::asMap).filter(c -> "keyledger".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container named keyledger in the Deployment"));
    }

    private static Map<String, Object> only(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> ofKind = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, ofKind.size(), "number of " + kind + " resources");
        return ofKind.get(0);
    }

    /** Names set on the container directly, plus the keys of every ConfigMap it takes whole via envFrom. */
    private static Set<String> environmentNames(String overlay) {
        Set<String> names = new TreeSet<>();
        listAt(container(overlay), "env").forEach(e -> names.add((String) asMap(e).get("name")));
        names.addAll(configMapEnvironmentNames(overlay));
        return names;
    }

    private static Set<String> configMapEnvironmentNames(String overlay) {
        Set<String> names = new TreeSet<>();
        for (Object source : listAt(container(overlay), "envFrom")) {
            Object configMapName = mapAt(asMap(source), "configMapRef").get("name");
            if (configMapName == null) {
                continue;
            }
            Map<String, Object> configMap = rendered(overlay).stream().filter(d -> "ConfigMap".equals(d.get("kind")))
                    .filter(d -> configMapName.equals(mapAt(d, "metadata").get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(
                            "envFrom refers to ConfigMap " + configMapName + ", which the overlay does not render"));
            String prefix = (String) asMap(source).getOrDefault("prefix", "");
            mapAt(configMap, "data").keySet().forEach(key -> names.add(prefix + key));
        }
        return names;
    }

    /** The values of the ConfigMaps the container takes whole via envFrom. */
    private static Map<String, String> configMapEnvironment(String overlay) {
        Map<String, String> values = new java.util.TreeMap<>();
        for (Object source : listAt(container(overlay), "envFrom")) {
            Object configMapName = mapAt(asMap(source), "configMapRef").get("name");
            rendered(overlay).stream().filter(d -> "ConfigMap".equals(d.get("kind")))
                    .filter(d -> configMapName != null && configMapName.equals(mapAt(d, "metadata").get("name")))
                    .forEach(d -> mapAt(d, "data").forEach(
                            (k, v) -> values.put(asMap(source).getOrDefault("prefix", "") + k, String.valueOf(v))));
        }
        return values;
    }

    private static void assertProbe(Map<String, Object> container, String probe, String expectedPath, String portName) {
        Map<String, Object> httpGet = mapAt(container, probe, "httpGet");
        assertEquals(expectedPath, httpGet.get("path"), probe + " path");
        Object port = httpGet.get("port");
        Object containerPort = namedPort(container, portName).get("containerPort");
        assertTrue(portName.equals(port) || containerPort.equals(port),
                probe + " port " + port + " is not the " + portName + " port");
    }

    /** The TCP ports an ingress rule opens. */
    private static List<Integer> ports(Map<String, Object> rule) {
        return listAt(rule, "ports").stream().map(p -> asMap(p).get("port"))
                .map(p -> p instanceof Number n ? n.intValue() : -1).toList();
    }

    /** Whether a missing kubectl fails the test instead of skipping it: CI sets this (see .ci/run). */
    private static boolean kubectlRequired() {
        return Boolean.getBoolean(REQUIRE_KUBECTL_PROPERTY)
                || "true".equalsIgnoreCase(System.getenv(REQUIRE_KUBECTL_ENV));
    }

    private static Map<String, Object> namedPort(Map<String, Object> container, String name) {
        return listAt(container, "ports").stream().map(KubernetesManifestsTest::asMap)
                .filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    // --- application configuration -----------------------------------------------------------------------------

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /**
     * Environment names the application reads: every profile-less property key (MicroProfile Config maps
     * {@code keyledger.relay.topic} to {@code KEYLEDGER_RELAY_TOPIC}) and every name a value refers to as
     * {@code ${NAME}} or {@code ${NAME:default}}.
     */
    private static Set<String> environmentNamesOf(Properties properties) {
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue;
            }
            names.add(environmentName(key));
            Matcher expression = PROPERTY_EXPRESSION.matcher(properties.getProperty(key));
            while (expression.find()) {
                names.add(environmentName(expression.group(1)));
            }
        }
        return names;
    }

    /** MicroProfile Config's rule: every character that is not a letter or digit becomes {@code _}; upper case. */
    private static String environmentName(String propertyName) {
        return propertyName.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** {@code /q/health} unless the HTTP root, non-application root, management root or health root is reconfigured. */
    private static String healthRoot(Properties properties) {
        return resolve(managementOrNonApplicationRoot(properties),
                properties.getProperty("quarkus.smallrye-health.root-path", "health"));
    }

    private static String metricsPath(Properties properties) {
        return resolve(managementOrNonApplicationRoot(properties),
                properties.getProperty("quarkus.micrometer.export.prometheus.path", "metrics"));
    }

    private static boolean managementEnabled(Properties properties) {
        return Boolean.parseBoolean(properties.getProperty("quarkus.management.enabled", "false"));
    }

    private static int managementPort(Properties properties) {
        assertTrue(managementEnabled(properties),
                "quarkus.management.enabled is not true: health and metrics share the API port");
        return Integer.parseInt(properties.getProperty("quarkus.management.port", "9000"));
    }

    /** With the management interface on, health and metrics hang off its root ({@code /q}); else off the HTTP one. */
    private static String managementOrNonApplicationRoot(Properties properties) {
        if (managementEnabled(properties)) {
            return properties.getProperty("quarkus.management.root-path", "/q");
        }
        return nonApplicationRoot(properties);
    }

    private static String nonApplicationRoot(Properties properties) {
        return resolve(properties.getProperty("quarkus.http.root-path", "/"),
                properties.getProperty("quarkus.http.non-application-root-path", "q"));
    }

    /** A relative path is appended to its parent; an absolute one stands alone. */
    private static String resolve(String parent, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        return (parent.endsWith("/") ? parent : parent + "/") + path;
    }

    /** Quarkus duration syntax: a plain number is seconds; {@code 20s}, {@code 500ms}, {@code 2m}; or ISO-8601. */
    private static Duration quarkusDuration(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        if (v.matches("\\d+ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.matches("\\d+[smh]")) {
            return Duration.parse("PT" + v.toUpperCase(Locale.ROOT));
        }
        if (v.matches("\\d+d")) {
            return Duration.parse("P" + v.toUpperCase(Locale.ROOT));
        }
        return Duration.parse(value.trim());
    }

    /** Kubernetes memory quantity in bytes (binary and decimal suffixes). */
    private static long bytes(Object quantity) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]i?)?").matcher(String.valueOf(quantity));
        assertTrue(m.matches(), "not a memory quantity: " + quantity);
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact();
    }

    // --- YAML navigation ---------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node) {
        assertTrue(node instanceof Map, "expected a mapping, got " + node);
        return (Map<String, Object>) node;
    }

    /** The mapping at {@code path}, or an empty one where the path is absent. */
    private static Map<String, Object> mapAt(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            node = node == null ? null : asMap(node).get(key);
        }
        return node == null ? Map.of() : asMap(node);
    }

    /** The sequence at {@code path}, or an empty one where the path is absent. */
    private static List<Object> listAt(Map<String, Object> root, String... path) {
        Object node = mapAt(root, Arrays.copyOf(path, path.length - 1)).get(path[path.length - 1]);
        if (node == null) {
            return List.of();
        }
        assertTrue(node instanceof List, "expected a sequence at " + String.join(".", path));
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) node;
        return list;
    }
}
