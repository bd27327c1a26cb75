#!/bin/sh
# Run once by the postgres image on an empty data directory (mounted into /docker-entrypoint-initdb.d/): one role and
# one database per service, the database owned by its role, the role's password from <SERVICE>_DB_PASSWORD (compose
# passes them from .env: deploy/secrets.list, `make compose-env`). A service can reach no other service's data.
set -eu
for service in identity catalog orders payments notifications; do
    variable="$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
    password=$(printenv "$variable") || { echo "init-databases: $variable is not set" >&2; exit 1; }
    echo "creating role and database bazaar_$service"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v role="bazaar_$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" WITH LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
