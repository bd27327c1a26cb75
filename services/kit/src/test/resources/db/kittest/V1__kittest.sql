-- A service's own schema for DatabaseMigrationIT.
CREATE TABLE kittest_things (id bigint PRIMARY KEY);
