# Sourced by the arangodb image's entrypoint on the first start only (empty data volume), while
# a temporary server listens on $ARANGO_INIT_PORT; $ARANGOSH_ARGS carries the root password.
# Creates nomarr's database, named by NOMARR_DB (compose passes ARANGO_DB, default nomarr).
echo "nomarr: creating database ${NOMARR_DB:-nomarr}"
arangosh ${ARANGOSH_ARGS} \
    --server.endpoint="tcp://127.0.0.1:${ARANGO_INIT_PORT:-8999}" \
    --javascript.execute-string "
        const name = '${NOMARR_DB:-nomarr}';
        if (!db._databases().includes(name)) { db._createDatabase(name); }
    "
