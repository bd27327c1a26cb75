package dev.bazaar.orders;

import java.util.Objects;

/**
 * The customer placing an order: their id (the access token's subject) and the credential that lets orders act on
 * their behalf towards catalog (the access token itself; opaque here — only the catalog adapter sends it).
 */
public record Customer(String id, String credential) {
    public Customer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(credential, "credential");
    }

    @Override
    public String toString() {
        return "Customer[id=" + id + "]"; // never log the credential
    }
}
