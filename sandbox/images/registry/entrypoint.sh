#!/bin/sh
# Same contract as the official registry image: a config file argument means `registry serve FILE`.
set -e
case "$1" in
    *.yaml|*.yml) set -- registry serve "$@" ;;
    serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac
exec "$@"
