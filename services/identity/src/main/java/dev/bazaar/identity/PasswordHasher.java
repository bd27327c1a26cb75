package dev.bazaar.identity;

import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashing in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, unpadded base64), with a 16-byte random salt and a 32-byte
 * hash. Verification reads the cost from the stored string, so raising the cost leaves old hashes valid.
 */
public final class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final Argon2Cost cost;
    private final Bulkhead bulkhead;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    /** A hasher allowing as many concurrent hashes as there are processors, and as many more waiting. */
    public PasswordHasher(Argon2Cost cost) {
        this(cost, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * A Helidon fault-tolerance bulkhead bounds the work: {@code maxConcurrent} hashes at once (each takes
     * {@code memoryKib} of heap and a core for tens of milliseconds), {@code queueLength} more waiting in turn; a
     * request beyond that is refused at once ({@link Throttled#busy()}: 503 + {@code Retry-After}) instead of
     * queueing without bound, so a burst of registrations or logins cannot hold every core and the heap.
     */
    public PasswordHasher(Argon2Cost cost, int maxConcurrent, int queueLength) {
        this.cost = cost;
        this.bulkhead = Bulkhead.builder().name("password-hashing").limit(maxConcurrent).queueLength(queueLength)
                .build();
        // Verified against when the user does not exist, so that "no such user" costs as much as "wrong password":
        // a PHC string of this cost with a random salt and a random hash. Verifying it derives as much as a real one
        // (the work depends on the cost and the length only) and never matches; not hashing anything for it spares
        // the start one Argon2 derivation, which in a cold JVM took seconds.
        this.dummyHash = phc(cost, randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));
    }

    /** Argon2id cost: memory in KiB, iterations and parallelism. OWASP's minimum is 19456 KiB, 2, 1. */
    public record Argon2Cost(int memoryKib, int iterations, int parallelism) {
        public static final Argon2Cost OWASP = new Argon2Cost(19_456, 2, 1);

        public Argon2Cost {
            if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
                throw new IllegalArgumentException("invalid Argon2 cost m=" + memoryKib + " t=" + iterations
                        + " p=" + parallelism);
            }
        }
    }

    public String hash(String password) {
        byte[] salt = randomBytes(SALT_BYTES);
        return phc(cost, salt, derive(password, salt, cost, HASH_BYTES));
    }

    private static String phc(Argon2Cost cost, byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** True when {@code password} matches {@code phc}; a malformed {@code phc} never matches. */
    public boolean verify(String password, String phc) {
        Phc parsed;
        try {
            parsed = Phc.parse(phc);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = derive(password, parsed.salt(), parsed.cost(), parsed.hash().length);
        return MessageDigest.isEqual(actual, parsed.hash());
    }

    /** Spends one verification's worth of work and fails: for unknown users. */
    public boolean verifyNobody(String password) {
        verify(password, dummyHash);
        return false;
    }

    /** A parsed PHC string. */
    record Phc(Argon2Cost cost, byte[] salt, byte[] hash) {
        static Phc parse(String phc) {
            String[] parts = phc == null ? new String[0] : phc.split("\\$");
            // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
            if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                throw new IllegalArgumentException("not an Argon2id v19 PHC string");
            }
            int m = -1;
            int t = -1;
            int p = -1;
            for (String param : parts[3].split(",")) {
                String[] kv = param.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("bad PHC parameter");
                }
                int value = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> throw new IllegalArgumentException("unknown PHC parameter " + kv[0]);
                }
            }
            byte[] hash = B64D.decode(parts[5]);
            if (hash.length < 16) {
                throw new IllegalArgumentException("PHC hash too short");
            }
            return new Phc(new Argon2Cost(m, t, p), B64D.decode(parts[4]), hash);
        }
    }

    private byte[] derive(String password, byte[] salt, Argon2Cost cost, int length) {
        try {
            return bulkhead.invoke(() -> argon2(password, salt, cost, length));
        } catch (BulkheadException e) {
            throw Throttled.busy();
        }
    }

    private static byte[] argon2(String password, byte[] salt, Argon2Cost cost, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
