#!/bin/sh
echo "the counter is stuck" >&2
exit 3
