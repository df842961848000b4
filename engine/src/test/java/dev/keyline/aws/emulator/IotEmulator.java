package dev.keyline.aws.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process AWS IoT control plane (and STS AssumeRole and GetCallerIdentity) on 127.0.0.1, speaking REST-JSON as the real SDK
 * client sends it, for tests that point {@code endpointOverride} at {@link #endpoint()}.
 * <p>
 * Accounts are chosen by the access key id in the request's SigV4 {@code Authorization} header (the signature
 * itself is not checked) and the region by its credential scope; each account and region has its own state.
 * Errors come back as AWS sends them: status code, {@code x-amzn-ErrorType} header, and a JSON body with
 * {@code message} and the error's members. Faults ({@link Faults}) are drawn from one seeded generator.
 * Thread-safe; requests are served by a pool of 16 threads.
 */
public final class IotEmulator implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add ~40 ms to every reply. Read once, when the server classes first load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    /** Operations that change state: the only ones whose reply can be lost after the work is done. */
    private static final Set<String> WRITES = Set.of("RegisterCACertificate", "RegisterCertificate", "RegisterCertificateWithoutCA",
            "CreateThing", "AttachThingPrincipal", "AttachPolicy", "RegisterThing", "UpdateCertificate", "UpdateCACertificate",
            "DeleteCACertificate", "DeleteRegistrationCode", "StartThingRegistrationTask", "CreateThingType", "CreateThingGroup",
            "AddThingToThingGroup", "DetachPolicy", "DetachThingPrincipal", "DeleteCertificate", "DeleteThing");

    /** STS's query protocol posts every action to "/": the operation is the form's Action. */
    private static final String STS = "sts";

    private record Route(String method, Pattern path, String operation) {
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", Pattern.compile("/registrationcode"), "GetRegistrationCode"),
            new Route("DELETE", Pattern.compile("/registrationcode"), "DeleteRegistrationCode"),
            new Route("POST", Pattern.compile("/cacertificate"), "RegisterCACertificate"),
            new Route("GET", Pattern.compile("/cacertificate/([^/]+)"), "DescribeCACertificate"),
            new Route("PUT", Pattern.compile("/cacertificate/([^/]+)"), "UpdateCACertificate"),
            new Route("DELETE", Pattern.compile("/cacertificate/([^/]+)"), "DeleteCACertificate"),
            new Route("POST", Pattern.compile("/certificate/register"), "RegisterCertificate"),
            new Route("POST", Pattern.compile("/certificate/register-no-ca"), "RegisterCertificateWithoutCA"),
            new Route("GET", Pattern.compile("/certificates/([^/]+)"), "DescribeCertificate"),
            new Route("PUT", Pattern.compile("/certificates/([^/]+)"), "UpdateCertificate"),
            new Route("DELETE", Pattern.compile("/certificates/([^/]+)"), "DeleteCertificate"),
            new Route("GET", Pattern.compile("/certificates"), "ListCertificates"),
            new Route("POST", Pattern.compile("/things"), "RegisterThing"),
            new Route("POST", Pattern.compile("/things/([^/]+)"), "CreateThing"),
            new Route("GET", Pattern.compile("/things/([^/]+)"), "DescribeThing"),
            new Route("DELETE", Pattern.compile("/things/([^/]+)"), "DeleteThing"),
            new Route("DELETE", Pattern.compile("/things/([^/]+)/principals"), "DetachThingPrincipal"),
            new Route("PUT", Pattern.compile("/things/([^/]+)/principals"), "AttachThingPrincipal"),
            new Route("GET", Pattern.compile("/things/([^/]+)/principals"), "ListThingPrincipals"),
            new Route("GET", Pattern.compile("/things/([^/]+)/thing-groups"), "ListThingGroupsForThing"),
            new Route("PUT", Pattern.compile("/target-policies/([^/]+)"), "AttachPolicy"),
            new Route("POST", Pattern.compile("/target-policies/([^/]+)"), "DetachPolicy"),
            new Route("POST", Pattern.compile("/attached-policies/([^/]+)"), "ListAttachedPolicies"),
            new Route("POST", Pattern.compile("/thing-types/([^/]+)"), "CreateThingType"),
            new Route("GET", Pattern.compile("/thing-types/([^/]+)"), "DescribeThingType"),
            new Route("PUT", Pattern.compile("/thing-groups/addThingToThingGroup"), "AddThingToThingGroup"),
            new Route("POST", Pattern.compile("/thing-groups/([^/]+)"), "CreateThingGroup"),
            new Route("GET", Pattern.compile("/thing-groups/([^/]+)"), "DescribeThingGroup"),
            new Route("POST", Pattern.compile("/thing-registration-tasks"), "StartThingRegistrationTask"),
            new Route("GET", Pattern.compile("/thing-registration-tasks"), "ListThingRegistrationTasks"),
            new Route("GET", Pattern.compile("/thing-registration-tasks/([^/]+)"), "DescribeThingRegistrationTask"),
            new Route("GET", Pattern.compile("/thing-registration-tasks/([^/]+)/reports"), "ListThingRegistrationTaskReports"),
            new Route("POST", Pattern.compile("/"), STS));


    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, String> accessKeys = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> policies;
    private final Map<String, Set<String>> thingTypes;
    private final Map<String, Set<String>> thingGroups;
    private final Set<String> roles;
    private final Map<String, EmulatorAccount> accounts = new ConcurrentHashMap<>();
    private final String defaultRegion;
    private final Random random;
    private volatile Faults faults;
    private final Map<String, AtomicInteger> scheduledDrops = new ConcurrentHashMap<>();
    private volatile Faults.LostReply scheduledDropStyle = Faults.LostReply.INTERNAL_FAILURE;
    private final RequestCounter requests = new RequestCounter();
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong lostReplies = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final Map<String, java.util.Queue<Runnable>> afterNext = new ConcurrentHashMap<>();
    private final S3Store s3;
    private final java.util.function.Supplier<String> registrationCodes;
    private final RegistrationTasks registrationTasks;
    private volatile java.time.Duration detachDelay;

    private IotEmulator(Builder b) throws IOException {
        this.detachDelay = b.detachDelay;
        this.accessKeys.putAll(b.accessKeys);
        this.policies = Map.copyOf(b.policies);
        this.thingTypes = Map.copyOf(b.thingTypes);
        this.thingGroups = Map.copyOf(b.thingGroups);
        this.roles = Set.copyOf(b.roles);
        this.defaultRegion = b.region;
        this.random = new Random(b.seed);
        this.faults = b.faults;
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "iot-emulator");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        this.s3 = new S3Store(b.buckets);
        this.registrationCodes = b.registrationCodes;
        this.registrationTasks = new RegistrationTasks(s3, path -> endpoint() + "/" + path
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=emulator&X-Amz-Signature=emulator", b.taskDuration, b.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where the SDK should send requests: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String region() {
        return defaultRegion;
    }

    /** Changes the injected faults from now on. */
    public void faults(Faults faults) {
        this.faults = faults;
    }

    /** The next {@code count} successful calls of the operation are carried out and their reply lost. */
    public void loseNextReplies(String operation, int count, Faults.LostReply how) {
        scheduledDropStyle = how;
        scheduledDrops.computeIfAbsent(operation, o -> new AtomicInteger()).addAndGet(count);
    }

    public RequestCounter requests() {
        return requests;
    }

    /** Certificates registered (RegisterCertificate, -WithoutCA, RegisterThing), all accounts and regions. */
    public long successfulRegistrations() {
        return registrations.get();
    }

    /** Replies dropped after the work was done. */
    public long lostReplies() {
        return lostReplies.get();
    }

    public int certificateCount(String accountId) {
        return account(accountId, defaultRegion).certificateCount();
    }

    /** The certificate's status in the account, if registered there. */
    public Optional<String> certificateStatus(String accountId, String certificateId) {
        return account(accountId, defaultRegion).certificate(certificateId).map(EmulatorAccount.Cert::status);
    }

    /** The certificate's PEM as the account holds it, if registered there. */
    public Optional<String> certificatePem(String accountId, String certificateId) {
        return account(accountId, defaultRegion).certificate(certificateId).map(EmulatorAccount.Cert::pem);
    }

    /** The id of the CA the certificate was registered under (empty for RegisterCertificateWithoutCA). */
    public Optional<String> certificateCa(String accountId, String certificateId) {
        return account(accountId, defaultRegion).certificate(certificateId).flatMap(EmulatorAccount.Cert::caId);
    }

    /** A registered CA as the emulator holds it, for assertions. */
    public record CaState(String mode, String status, String autoRegistration, Map<String, String> registrationConfig,
                          Optional<String> verificationCertificatePem) {
    }

    /** The CA with that certificate id in the account and region, if registered there. */
    public Optional<CaState> caCertificate(String accountId, String region, String caCertificateId) {
        return account(accountId, region).ca(caCertificateId).map(ca -> new CaState(ca.mode(), ca.status(),
                ca.autoRegistration(), ca.registrationConfig(), Optional.ofNullable(ca.verificationPem())));
    }

    /** The account's registration code in the region (made on first use, as GetRegistrationCode does). */
    public String registrationCode(String accountId, String region) {
        return account(accountId, region).registrationCode();
    }

    /** As DeleteRegistrationCode: the next GetRegistrationCode answers a new code. */
    public void deleteRegistrationCode(String accountId, String region) {
        account(accountId, region).deleteRegistrationCode();
    }

    /**
     * Runs {@code action} right after the next successful call of {@code operation} is carried out, before its reply
     * is sent: for what happens elsewhere between two calls (another operator regenerating the registration code).
     */
    public void afterNext(String operation, Runnable action) {
        afterNext.computeIfAbsent(operation, o -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(action);
    }

    /** The certificate's mode (DEFAULT or SNI_ONLY: the mode of its CA) in the account, if registered there. */
    public Optional<String> certificateMode(String accountId, String certificateId) {
        return account(accountId, defaultRegion).certificate(certificateId).map(EmulatorAccount.Cert::mode);
    }

    public List<String> thingPrincipals(String accountId, String thingName) {
        return account(accountId, defaultRegion).thingPrincipals(thingName);
    }

    public Optional<Map<String, String>> thingAttributes(String accountId, String thingName) {
        return account(accountId, defaultRegion).thing(thingName).map(EmulatorAccount.Thing::attributes);
    }

    /** The thing groups a thing is in, in the order it was added to them. */
    public List<String> thingGroupsOf(String accountId, String thingName) {
        return account(accountId, defaultRegion).groupsOf(thingName);
    }

    public boolean hasThingGroup(String accountId, String groupName) {
        return account(accountId, defaultRegion).hasThingGroup(groupName);
    }

    /** Deprecates a thing type of the account (as DeprecateThingType): CreateThing then refuses it. */
    public void deprecateThingType(String accountId, String typeName) {
        account(accountId, defaultRegion).deprecateThingType(typeName);
    }

    public boolean hasThingType(String accountId, String typeName) {
        return account(accountId, defaultRegion).hasThingType(typeName);
    }

    /** From now on, how long a DetachThingPrincipal takes to show in ListThingPrincipals (and to DeleteThing). */
    public void detachDelay(java.time.Duration delay) {
        this.detachDelay = delay;
    }

    /** Whether the account has a thing of that name. */
    public boolean hasThing(String accountId, String thingName) {
        return account(accountId, defaultRegion).thing(thingName).isPresent();
    }

    /** How many times DeleteThing removed a thing of that name in the account. */
    public int thingDeletions(String accountId, String thingName) {
        return account(accountId, defaultRegion).thingDeletions(thingName);
    }

    /** Every thing DeleteThing removed in the account, with how many times. */
    public Map<String, Integer> thingDeletions(String accountId) {
        return account(accountId, defaultRegion).thingDeletions();
    }

    public List<String> policiesOf(String accountId, String certificateArn) {
        return account(accountId, defaultRegion).policiesOf(certificateArn);
    }

    /** A bulk registration task as the emulator ran it: when it started and ended (System.nanoTime), its lines. */
    public record TaskRun(String taskId, String accountId, String status, long startNanos, long endNanos, int lines,
                          int successes, int failures, String inputKey) {
    }

    /** Every bulk registration task started, in start order. */
    public List<TaskRun> registrationTasks() {
        return registrationTasks.all().stream().map(t -> new TaskRun(t.id, t.account.accountId, t.status, t.startNanos,
                t.endNanos, t.lines, t.successes, t.failures, t.key)).toList();
    }

    /** How long a bulk registration task stays InProgress before it registers its lines, from now on. */
    public void taskDuration(java.time.Duration duration) {
        registrationTasks.duration(duration);
    }

    /**
     * Per-line failures of bulk registration tasks: for a line's parameters, the error message the task reports for
     * it (as a ResourceRegistrationFailureException), or empty to register it.
     */
    public void bulkLineFailure(java.util.function.Function<JsonNode, Optional<String>> failure) {
        registrationTasks.lineFailure(failure);
    }

    /** The next bulk registration task ends Failed with this message, registering nothing. */
    public void failNextTask(String message) {
        registrationTasks.failNextTask(message);
    }

    /** The object's bytes in the emulator's S3, if there. */
    public Optional<byte[]> s3Object(String bucket, String key) {
        return s3.find(bucket, key);
    }

    /** Keys of a bucket under a prefix. */
    public List<String> s3Keys(String bucket, String prefix) {
        return s3.keys(bucket, prefix);
    }

    private EmulatorAccount account(String accountId, String region) {
        return accounts.computeIfAbsent(accountId + "|" + region, k -> new EmulatorAccount(accountId, region,
                policies.getOrDefault(accountId, Set.of()), thingTypes.getOrDefault(accountId, Set.of()),
                thingGroups.getOrDefault(accountId, Set.of()), registrationCodes, () -> detachDelay));
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            if (isS3(exchange)) {
                s3(exchange, path, body);
                return;
            }
            Route route = null;
            List<String> pathParams = new ArrayList<>();
            for (Route r : ROUTES) {
                Matcher m = r.path().matcher(path);
                if (r.method().equals(exchange.getRequestMethod()) && m.matches()) {
                    route = r;
                    for (int i = 1; i <= m.groupCount(); i++) {
                        pathParams.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
                    }
                    break;
                }
            }
            if (route == null) {
                sendError(exchange, new IotError(404, "UnknownOperationException", exchange.getRequestMethod() + " " + path));
                return;
            }
            Map<String, String> stsForm = STS.equals(route.operation()) ? form(new String(body, StandardCharsets.UTF_8)) : Map.of();
            String operation = STS.equals(route.operation()) ? stsForm.getOrDefault("Action", "UnknownStsAction") : route.operation();
            requests.count(operation, System.currentTimeMillis());
            Object response;
            try {
                String[] caller = caller(exchange);
                injectFaultBefore();
                if (STS.equals(route.operation())) {
                    sendXml(exchange, sts(caller[0], stsForm));
                    return;
                }
                EmulatorAccount account = account(caller[0], caller[1]);
                response = dispatch(operation, account, pathParams, query(exchange), exchange, json(body));
                runAfterNext(operation);
            } catch (IotError e) {
                sendError(exchange, e);
                return;
            }
            if (WRITES.contains(operation) && loseReply(operation)) {
                lostReplies.incrementAndGet();
                if (scheduledOrConfiguredStyle() == Faults.LostReply.CLOSE_CONNECTION) {
                    return; // try-with-resources closes the exchange with no headers sent: the connection is dropped
                }
                sendError(exchange, IotError.internalFailure());
                return;
            }
            send(exchange, 200, JSON.writeValueAsBytes(response));
        } catch (RuntimeException e) {
            sendError(exchange, new IotError(500, "InternalFailureException", "emulator bug: " + e));
        }
    }

    /** Signed for service s3, or a presigned URL (a report link): the emulator's S3 answers it. */
    private static boolean isS3(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            Matcher m = CREDENTIAL.matcher(authorization);
            return m.find() && "s3".equals(m.group(3));
        }
        String query = exchange.getRequestURI().getRawQuery();
        return query != null && query.contains("X-Amz-Signature=");
    }

    /** PutObject and GetObject, path-style: /bucket/key. */
    private void s3(HttpExchange exchange, String path, byte[] body) throws IOException {
        String method = exchange.getRequestMethod();
        String operation = "PUT".equals(method) ? "PutObject" : "GET".equals(method) ? "GetObject" : "S3 " + method;
        requests.count(operation, System.currentTimeMillis());
        try {
            if (exchange.getRequestHeaders().getFirst("Authorization") != null) {
                caller(exchange); // a known access key; a presigned link carries its own
            }
            int slash = path.indexOf('/', 1);
            if (slash < 0 || slash == path.length() - 1) {
                throw new S3Store.S3Error(400, "InvalidRequest", "path-style requests only: /bucket/key");
            }
            String bucket = URLDecoder.decode(path.substring(1, slash), StandardCharsets.UTF_8);
            List<String> segments = new ArrayList<>();
            for (String segment : path.substring(slash + 1).split("/", -1)) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
            String key = String.join("/", segments);
            if ("PUT".equals(method)) {
                String encoding = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                String sha = String.valueOf(exchange.getRequestHeaders().getFirst("x-amz-content-sha256"));
                byte[] payload = encoding.contains("aws-chunked") || sha.startsWith("STREAMING-") ? S3Store.decodeAwsChunked(body) : body;
                s3.put(bucket, key, payload);
                exchange.getResponseHeaders().set("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(payload)) + "\"");
                exchange.sendResponseHeaders(200, -1);
            } else if ("GET".equals(method)) {
                byte[] object = s3.get(bucket, key);
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, object.length == 0 ? -1 : object.length);
                if (object.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(object);
                    }
                }
            } else {
                throw new S3Store.S3Error(405, "MethodNotAllowed", "The emulator's S3 has PutObject and GetObject only");
            }
        } catch (S3Store.S3Error e) {
            byte[] xml = e.xml();
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(e.status, xml.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(xml);
            }
        } catch (IotError e) {
            byte[] xml = new S3Store.S3Error(403, "InvalidAccessKeyId", e.getMessage()).xml();
            exchange.sendResponseHeaders(403, xml.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(xml);
            }
        }
    }

    /** [accountId, region] of the request's access key; 403 for a key the emulator does not know. */
    private String[] caller(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher m = authorization == null ? null : CREDENTIAL.matcher(authorization);
        if (m == null || !m.find()) {
            throw new IotError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        String account = accessKeys.get(m.group(1));
        if (account == null) {
            throw new IotError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        return new String[] {account, m.group(2)};
    }

    private void injectFaultBefore() {
        Faults f = faults;
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        if (draw < f.throttleRate()) {
            throw IotError.throttling();
        }
        if (draw < f.throttleRate() + f.serverErrorRate()) {
            throw draw < f.throttleRate() + f.serverErrorRate() / 2 ? IotError.internalFailure() : IotError.serviceUnavailable();
        }
    }

    private final ThreadLocal<Faults.LostReply> lostStyle = new ThreadLocal<>();

    private boolean loseReply(String operation) {
        AtomicInteger scheduled = scheduledDrops.get(operation);
        if (scheduled != null && scheduled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            lostStyle.set(scheduledDropStyle);
            return true;
        }
        Faults f = faults;
        if (f.lostReplyRate() > 0) {
            boolean lose;
            synchronized (random) {
                lose = random.nextDouble() < f.lostReplyRate();
            }
            lostStyle.set(f.lostReply());
            return lose;
        }
        return false;
    }

    private Faults.LostReply scheduledOrConfiguredStyle() {
        Faults.LostReply style = lostStyle.get();
        lostStyle.remove();
        return style == null ? Faults.LostReply.INTERNAL_FAILURE : style;
    }

    private Object dispatch(String operation, EmulatorAccount account, List<String> pathParams, Map<String, String> query,
            HttpExchange exchange, JsonNode body) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (operation) {
            case "GetRegistrationCode" -> out.put("registrationCode", account.registrationCode());
            case "DeleteRegistrationCode" -> account.deleteRegistrationCode();
            case "RegisterCACertificate" -> {
                String mode = text(body, "certificateMode").orElse("DEFAULT");
                String caPem = text(body, "caCertificate").orElseThrow(() -> IotError.invalidRequest("caCertificate is required"));
                String caId = EmulatorAccount.idOf(EmulatorAccount.parse(caPem, "CA certificate"));
                boolean elsewhere = "DEFAULT".equals(mode) && accounts.values().stream()
                        .anyMatch(a -> a != account && a.region.equals(account.region) && a.holdsCaInDefaultMode(caId));
                EmulatorAccount.Ca ca = account.registerCa(caPem, text(body, "verificationCertificate").orElse(null), mode,
                        Boolean.parseBoolean(query.get("setAsActive")), Boolean.parseBoolean(query.get("allowAutoRegistration")),
                        registrationConfig(body).orElse(Map.of()), elsewhere);
                out.put("certificateArn", ca.arn());
                out.put("certificateId", ca.id());
            }
            case "DescribeCACertificate" -> {
                EmulatorAccount.Ca ca = account.describeCa(pathParams.get(0));
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("certificateArn", ca.arn());
                d.put("certificateId", ca.id());
                d.put("status", ca.status());
                d.put("certificatePem", ca.pem());
                d.put("ownedBy", account.accountId);
                d.put("creationDate", epoch(ca.created()));
                d.put("autoRegistrationStatus", ca.autoRegistration());
                d.put("lastModifiedDate", epoch(ca.lastModified()));
                d.put("customerVersion", ca.version());
                d.put("generationId", ca.id().substring(0, 8) + "-" + ca.version());
                d.put("validity", Map.of("notBefore", epoch(ca.certificate().getNotBefore().toInstant()),
                        "notAfter", epoch(ca.certificate().getNotAfter().toInstant())));
                d.put("certificateMode", ca.mode());
                out.put("certificateDescription", d);
                out.put("registrationConfig", ca.registrationConfig());
            }
            case "UpdateCACertificate" -> account.updateCa(pathParams.get(0), query.get("newStatus"),
                    query.get("newAutoRegistrationStatus"), registrationConfig(body).orElse(null),
                    body.path("removeAutoRegistration").asBoolean(false));
            case "DeleteCACertificate" -> account.deleteCa(pathParams.get(0));
            case "RegisterCertificate", "RegisterCertificateWithoutCA" -> {
                String pem = text(body, "certificatePem").orElseThrow(() -> IotError.invalidRequest("certificatePem is required"));
                String status = text(body, "status").orElse(Boolean.parseBoolean(query.get("setAsActive")) ? "ACTIVE" : "INACTIVE");
                EmulatorAccount.Cert cert = "RegisterCertificate".equals(operation)
                        ? account.registerCertificate(pem, text(body, "caCertificatePem").orElse(null), status)
                        : account.registerCertificateWithoutCa(pem, status);
                registrations.incrementAndGet();
                out.put("certificateArn", cert.arn());
                out.put("certificateId", cert.id());
            }
            case "DescribeCertificate" -> {
                EmulatorAccount.Cert cert = account.describeCertificate(pathParams.get(0));
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("certificateArn", cert.arn());
                d.put("certificateId", cert.id());
                cert.caId().ifPresent(ca -> d.put("caCertificateId", ca));
                d.put("status", cert.status());
                d.put("certificatePem", cert.pem());
                d.put("ownedBy", account.accountId);
                d.put("creationDate", epoch(cert.created()));
                d.put("lastModifiedDate", epoch(cert.created()));
                d.put("certificateMode", cert.mode());
                out.put("certificateDescription", d);
            }
            case "UpdateCertificate" -> account.updateCertificate(pathParams.get(0), query.get("newStatus"));
            case "ListCertificates" -> {
                List<EmulatorAccount.Cert> all = account.certificates();
                int pageSize = Integer.parseInt(query.getOrDefault("pageSize", "25"));
                int from = Integer.parseInt(query.getOrDefault("marker", "0"));
                List<Map<String, Object>> page = new ArrayList<>();
                for (int i = from; i < Math.min(all.size(), from + pageSize); i++) {
                    EmulatorAccount.Cert c = all.get(i);
                    page.add(Map.of("certificateArn", c.arn(), "certificateId", c.id(), "status", c.status(),
                            "certificateMode", c.mode(), "creationDate", epoch(c.created())));
                }
                out.put("certificates", page);
                if (from + pageSize < all.size()) {
                    out.put("nextMarker", String.valueOf(from + pageSize));
                }
            }
            case "CreateThing" -> {
                Map<String, String> attributes = new LinkedHashMap<>();
                body.path("attributePayload").path("attributes").properties().forEach(p -> attributes.put(p.getKey(), p.getValue().asString()));
                EmulatorAccount.Thing thing = account.createThing(pathParams.get(0), text(body, "thingTypeName"), attributes);
                out.put("thingName", thing.name());
                out.put("thingArn", thing.arn());
                out.put("thingId", thing.id());
            }
            case "DescribeThing" -> {
                EmulatorAccount.Thing thing = account.describeThing(pathParams.get(0));
                out.put("defaultClientId", thing.name());
                out.put("thingName", thing.name());
                out.put("thingId", thing.id());
                out.put("thingArn", thing.arn());
                thing.type().ifPresent(t -> out.put("thingTypeName", t));
                out.put("attributes", thing.attributes());
                out.put("version", thing.version());
            }
            case "AttachThingPrincipal" -> account.attachThingPrincipal(pathParams.get(0),
                    exchange.getRequestHeaders().getFirst("x-amzn-principal"));
            case "ListThingPrincipals" -> out.put("principals", account.thingPrincipals(pathParams.get(0)));
            case "DetachThingPrincipal" -> account.detachThingPrincipal(pathParams.get(0),
                    exchange.getRequestHeaders().getFirst("x-amzn-principal"));
            case "DeleteThing" -> account.deleteThing(pathParams.get(0));
            case "DeleteCertificate" -> account.deleteCertificate(pathParams.get(0), Boolean.parseBoolean(query.get("forceDelete")));
            case "DetachPolicy" -> account.detachPolicy(pathParams.get(0), text(body, "target")
                    .orElseThrow(() -> IotError.invalidRequest("target is required")));
            case "ListAttachedPolicies" -> {
                List<String> names = account.policiesOf(pathParams.get(0));
                if (account.certificate(pathParams.get(0).substring(pathParams.get(0).lastIndexOf('/') + 1)).isEmpty()) {
                    throw IotError.notFound("Principal " + pathParams.get(0) + " does not exist in this account");
                }
                List<Map<String, String>> page = new ArrayList<>();
                for (String name : names) {
                    page.add(Map.of("policyName", name, "policyArn", account.policyArn(name)));
                }
                out.put("policies", page);
            }
            case "ListThingGroupsForThing" -> {
                account.describeThing(pathParams.get(0));
                List<Map<String, String>> groups = new ArrayList<>();
                for (String group : account.groupsOf(pathParams.get(0))) {
                    groups.add(Map.of("groupName", group, "groupArn", account.describeThingGroup(group).arn()));
                }
                out.put("thingGroups", groups);
            }
            case "DescribeThingType" -> {
                EmulatorAccount.Named type = account.describeThingType(pathParams.get(0));
                out.put("thingTypeName", type.name());
                out.put("thingTypeId", type.id());
                out.put("thingTypeArn", type.arn());
                out.put("thingTypeMetadata", Map.of("deprecated", account.isDeprecated(type.name())));
            }
            case "CreateThingType" -> {
                EmulatorAccount.Named type = account.createThingType(pathParams.get(0));
                out.put("thingTypeName", type.name());
                out.put("thingTypeArn", type.arn());
                out.put("thingTypeId", type.id());
            }
            case "DescribeThingGroup" -> {
                EmulatorAccount.Named group = account.describeThingGroup(pathParams.get(0));
                out.put("thingGroupName", group.name());
                out.put("thingGroupId", group.id());
                out.put("thingGroupArn", group.arn());
                out.put("version", 1);
            }
            case "CreateThingGroup" -> {
                EmulatorAccount.Named group = account.createThingGroup(pathParams.get(0));
                out.put("thingGroupName", group.name());
                out.put("thingGroupArn", group.arn());
                out.put("thingGroupId", group.id());
            }
            case "AddThingToThingGroup" -> account.addThingToThingGroup(
                    text(body, "thingGroupName").orElseThrow(() -> IotError.invalidRequest("thingGroupName is required (the emulator takes names, not ARNs)")),
                    text(body, "thingName").orElseThrow(() -> IotError.invalidRequest("thingName is required (the emulator takes names, not ARNs)")));
            case "AttachPolicy" -> account.attachPolicy(pathParams.get(0), text(body, "target")
                    .orElseThrow(() -> IotError.invalidRequest("target is required")));
            case "RegisterThing" -> {
                Map<String, String> parameters = new HashMap<>();
                body.path("parameters").properties().forEach(p -> parameters.put(p.getKey(), p.getValue().asString()));
                int before = account.certificateCount();
                out.putAll(TemplateRegistration.register(account, text(body, "templateBody").orElse(null), parameters));
                registrations.addAndGet(account.certificateCount() - before);
            }
            case "StartThingRegistrationTask" -> out.put("taskId", registrationTasks.start(account, text(body, "templateBody").orElse(null),
                    text(body, "inputFileBucket").orElse(null), text(body, "inputFileKey").orElse(null), text(body, "roleArn").orElse(null)));
            case "DescribeThingRegistrationTask" -> {
                RegistrationTasks.Task task = registrationTasks.describe(account, pathParams.get(0));
                out.put("taskId", task.id);
                out.put("creationDate", epoch(task.created));
                out.put("lastModifiedDate", epoch(Instant.now()));
                out.put("templateBody", task.templateBody);
                out.put("inputFileBucket", task.bucket);
                out.put("inputFileKey", task.key);
                out.put("roleArn", task.roleArn);
                out.put("status", task.status);
                if (task.message != null) {
                    out.put("message", task.message);
                }
                out.put("successCount", task.successes);
                out.put("failureCount", task.failures);
                out.put("percentageProgress", task.percent());
            }
            case "ListThingRegistrationTasks" -> page(registrationTasks.list(account, Optional.ofNullable(query.get("status"))),
                    query, "taskIds", out);
            case "ListThingRegistrationTaskReports" -> {
                page(registrationTasks.reportLinks(account, pathParams.get(0), query.get("reportType")), query, "resourceLinks", out);
                out.put("reportType", query.get("reportType"));
            }
            default -> throw new IllegalStateException("no handler for " + operation);
        }
        return out;
    }

    /** One page of a list: maxResults (default 25) from nextToken (an index). */
    private static void page(List<String> all, Map<String, String> query, String member, Map<String, Object> out) {
        int size = Integer.parseInt(query.getOrDefault("maxResults", "25"));
        int from = Integer.parseInt(query.getOrDefault("nextToken", "0"));
        out.put(member, all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size)));
        if (from + size < all.size()) {
            out.put("nextToken", String.valueOf(from + size));
        }
    }

    /** STS: AssumeRole and GetCallerIdentity, as XML (the query protocol's answers). */
    private String sts(String callerAccount, Map<String, String> form) {
        String action = form.get("Action");
        if ("GetCallerIdentity".equals(action)) {
            return "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                    + "<Arn>arn:aws:iam::" + callerAccount + ":user/emulator</Arn><UserId>AIDAEMULATOR" + callerAccount
                    + "</UserId><Account>" + callerAccount + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>"
                    + java.util.UUID.randomUUID() + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
        }
        if (!"AssumeRole".equals(action)) {
            throw new IotError(400, "InvalidAction", "Could not find operation " + action);
        }
        return assumeRole(callerAccount, form);
    }

    private String assumeRole(String callerAccount, Map<String, String> form) {
        String roleArn = form.get("RoleArn");
        if (roleArn == null || !roles.contains(roleArn)) {
            throw new IotError(403, "AccessDenied", "User in account " + callerAccount + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        String roleAccount = roleArn.split(":")[4];
        String keyId = "ASIAEMULATOR" + sessions.incrementAndGet();
        accessKeys.put(keyId, roleAccount);
        String expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials>"
                + "<AccessKeyId>" + keyId + "</AccessKeyId><SecretAccessKey>emulator-secret</SecretAccessKey>"
                + "<SessionToken>emulator-session-" + keyId + "</SessionToken><Expiration>" + expiration + "</Expiration>"
                + "</Credentials><AssumedRoleUser><Arn>arn:aws:sts::" + roleAccount + ":assumed-role/"
                + roleArn.substring(roleArn.indexOf(":role/") + 6) + "/" + form.get("RoleSessionName") + "</Arn>"
                + "<AssumedRoleId>AROAEMULATOR:" + form.get("RoleSessionName") + "</AssumedRoleId></AssumedRoleUser>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>" + java.util.UUID.randomUUID()
                + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
    }

    /** {@code registrationConfig} of a request body, members as given; empty when the body has none. */
    private static Optional<Map<String, String>> registrationConfig(JsonNode body) {
        JsonNode config = body.get("registrationConfig");
        if (config == null || config.isNull()) {
            return Optional.empty();
        }
        Map<String, String> members = new LinkedHashMap<>();
        config.properties().forEach(p -> members.put(p.getKey(), p.getValue().asString()));
        return Optional.of(members);
    }

    private void runAfterNext(String operation) {
        java.util.Queue<Runnable> actions = afterNext.get(operation);
        Runnable action = actions == null ? null : actions.poll();
        if (action != null) {
            action.run();
        }
    }

    private static double epoch(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static Optional<String> text(JsonNode body, String member) {
        JsonNode node = body.get(member);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asString());
    }

    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return JSON.createObjectNode(); // form-encoded STS bodies; IoT requests are always JSON
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        return form(exchange.getRequestURI().getRawQuery());
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void sendError(HttpExchange exchange, IotError error) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", error.getMessage());
        body.putAll(error.members);
        exchange.getResponseHeaders().set("x-amzn-ErrorType", error.type);
        send(exchange, error.status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sendXml(HttpExchange exchange, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        registrationTasks.close();
        server.stop(0);
        executor.shutdownNow();
    }

    /** Accounts, policies, thing types, assumable roles, faults and the random seed. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> accessKeys = new HashMap<>();
        private final Map<String, Set<String>> policies = new HashMap<>();
        private final Map<String, Set<String>> thingTypes = new HashMap<>();
        private final Map<String, Set<String>> thingGroups = new HashMap<>();
        private final java.util.HashSet<String> roles = new java.util.HashSet<>();
        private String region = "us-east-1";
        private Faults faults = Faults.NONE;
        private long seed = 1;
        private final java.util.Set<String> buckets = new java.util.HashSet<>();
        private java.time.Duration taskDuration = java.time.Duration.ofSeconds(2);
        private java.time.Duration detachDelay = java.time.Duration.ZERO;

        /** How long a DetachThingPrincipal takes to show in ListThingPrincipals and to DeleteThing (default: at once). */
        public Builder detachDelay(java.time.Duration delay) {
            this.detachDelay = delay;
            return this;
        }

        private java.util.function.Supplier<String> registrationCodes;

        /**
         * What GetRegistrationCode answers when an account needs a new code (default: 64 hexadecimal characters, as
         * AWS): several emulators answer a UUID.
         */
        public Builder registrationCodes(java.util.function.Supplier<String> codes) {
            this.registrationCodes = codes;
            return this;
        }

        /** An S3 bucket (buckets are global, as in S3): PutObject and GetObject on it work. */
        public Builder bucket(String name) {
            buckets.add(name);
            return this;
        }

        /** How long a bulk registration task stays InProgress before it registers its lines (default 2 s). */
        public Builder taskDuration(java.time.Duration duration) {
            this.taskDuration = duration;
            return this;
        }

        /** Requests signed with {@code accessKeyId} act in {@code accountId}. */
        public Builder account(String accessKeyId, String accountId) {
            accessKeys.put(accessKeyId, accountId);
            return this;
        }

        public Builder policy(String accountId, String policyName) {
            policies.computeIfAbsent(accountId, a -> new java.util.HashSet<>()).add(policyName);
            return this;
        }

        public Builder thingType(String accountId, String thingType) {
            thingTypes.computeIfAbsent(accountId, a -> new java.util.HashSet<>()).add(thingType);
            return this;
        }

        /** A static thing group that exists in the account (in every region) from the start. */
        public Builder thingGroup(String accountId, String groupName) {
            thingGroups.computeIfAbsent(accountId, a -> new java.util.HashSet<>()).add(groupName);
            return this;
        }

        /** A role any known caller may assume through STS; it acts in the account named in its ARN. */
        public Builder assumableRole(String roleArn) {
            roles.add(roleArn);
            return this;
        }

        /** The region that the inspection methods ({@link #certificateCount}, ...) look at. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder faults(Faults faults) {
            this.faults = faults;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public IotEmulator start() {
            try {
                return new IotEmulator(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the IoT emulator on 127.0.0.1", e);
            }
        }
    }
}
