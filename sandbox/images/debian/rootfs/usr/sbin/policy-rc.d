#!/bin/sh
# Image builds have no init: packages must not try to start services.
exit 101
