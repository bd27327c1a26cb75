package dev.bazaar.orders;

/** The repository contract against the fake the use-case tests rely on. */
class InMemoryOrderRepositoryTest extends OrderRepositoryContract {
    final InMemoryOrderRepository repository = new InMemoryOrderRepository();

    @Override
    OrderRepository repository() {
        return repository;
    }

    @Override
    long queuedEvents() {
        return repository.events.size();
    }
}
