package dev.bazaar.payments;

/** The repository contract against the fake the use-case tests rely on. */
class InMemoryPaymentRepositoryTest extends PaymentRepositoryContract {
    final InMemoryPaymentRepository repository = new InMemoryPaymentRepository();

    @Override
    PaymentRepository repository() {
        return repository;
    }

    @Override
    long queuedEvents() {
        return repository.events.size();
    }
}
