package dev.bazaar.notifications;

/** The repository contract against the fake the use-case and route tests rely on. */
class InMemoryNotificationRepositoryTest extends NotificationRepositoryContract {
    final InMemoryNotificationRepository repository = new InMemoryNotificationRepository();

    @Override
    NotificationRepository repository() {
        return repository;
    }
}
