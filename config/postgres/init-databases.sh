#!/bin/sh
# Run once by the postgres image on an empty data directory (mounted into /docker-entrypoint-initdb.d/):
# one database per service, all owned by POSTGRES_USER. LOCAL DEVELOPMENT ONLY: real deployments give each service
# its own role and password.
set -eu
for service in identity catalog orders payments notifications; do
    echo "creating database bazaar_$service"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -c "CREATE DATABASE bazaar_$service OWNER \"$POSTGRES_USER\""
done
