package dev.bazaar.contracts;

/**
 * An event record with a schema version, the evolution policy of docs/events.md in code. Events outlive the code
 * that wrote them (a stream keeps them for days, a dead letter longer), so producers and consumers of different
 * versions meet: within one subject a contract only grows (new optional fields, never a removed, renamed or
 * retyped one), readers ignore what they do not know and treat a missing new field as absent, and
 * {@code schemaVersion} counts those additions so a reader can tell what the writer knew. A change that an old
 * reader cannot survive is a new subject, not a new version.
 */
public interface VersionedEvent {
    /** The first version, and the version of an event written before versions existed (it has no such field). */
    int FIRST = 1;

    /**
     * The version of the contract its producer wrote; at least {@link #FIRST}, never {@code null}. A boxed value
     * because a missing field must read as "before versioning", where the codec refuses a missing primitive.
     */
    Integer schemaVersion();

    /**
     * The version to keep for a value read from the wire: an absent field is an event from before versioning,
     * that is {@link #FIRST}; a higher version than this code knows is kept as it is (a tolerant reader never
     * refuses an event for being newer).
     */
    static Integer readVersion(Integer schemaVersion) {
        if (schemaVersion == null) {
            return FIRST;
        }
        if (schemaVersion < FIRST) {
            throw new IllegalArgumentException("schemaVersion must be at least " + FIRST);
        }
        return schemaVersion;
    }
}
